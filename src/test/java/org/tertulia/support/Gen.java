package org.tertulia.support;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * A generator of test inputs: a function of a seeded {@link SplittableRandom}, so that the same
 * seed always gives the same value. Being a functional interface, any lambda
 * {@code r -> ...} is one, which is how tuples and records of several inputs are built.
 */
@FunctionalInterface
public interface Gen<T> {

    T next(SplittableRandom random);

    default <R> Gen<R> map(Function<? super T, ? extends R> f) {
        return r -> f.apply(next(r));
    }

    /** Lists of 0 to {@code maxSize} values, short ones more often (see {@link Generators#size}). */
    default Gen<List<T>> list(int maxSize) {
        return r -> {
            int n = Generators.size(r, maxSize);
            List<T> values = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                values.add(next(r));
            }
            return values;
        };
    }
}
