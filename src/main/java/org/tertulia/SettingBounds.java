package org.tertulia;

import java.time.Duration;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;

import org.springframework.util.unit.DataSize;

/**
 * Teaches Bean Validation's {@code @Positive} and {@code @PositiveOrZero} the types our
 * settings use ({@link Duration}, {@link DataSize}), so a setting record states its bounds
 * with the standard annotations. Found through {@code META-INF/services}.
 */
public final class SettingBounds {

    private SettingBounds() {
    }

    public static final class PositiveDuration implements ConstraintValidator<Positive, Duration> {
        @Override
        public boolean isValid(Duration value, ConstraintValidatorContext context) {
            return value == null || (!value.isNegative() && !value.isZero());
        }
    }

    public static final class PositiveOrZeroDuration implements ConstraintValidator<PositiveOrZero, Duration> {
        @Override
        public boolean isValid(Duration value, ConstraintValidatorContext context) {
            return value == null || !value.isNegative();
        }
    }

    public static final class PositiveDataSize implements ConstraintValidator<Positive, DataSize> {
        @Override
        public boolean isValid(DataSize value, ConstraintValidatorContext context) {
            return value == null || value.toBytes() > 0;
        }
    }
}
