# Tertulia container image.
#
#   docker build -t tertulia .
#   docker run -p 8080:8080 tertulia                      # or -e SERVER_PORT=9000, -e JAVA_OPTS=...
#
# Two stages: a JDK builds the jar with the Maven wrapper, a JRE runs it. Only the build
# stage reaches Maven Central.

############################################################################ build stage
FROM eclipse-temurin:25-jdk AS build
WORKDIR /build

# Maven, the plugins and the dependencies change far less often than the code: fetch them
# in their own layer, keyed only on the wrapper and the pom, so a code change rebuilds from
# the COPY of src/ onwards and downloads nothing. Running the build itself on the bare pom
# fetches exactly what "package" needs (109 MB, about 100 s cold here), where
# dependency:go-offline also fetches every plugin of every lifecycle (161 MB, roughly three
# times as long).
COPY mvnw pom.xml ./
COPY .mvn/ .mvn/
RUN ./mvnw -B -q package -DskipTests -Dspring-boot.repackage.skip=true \
 && rm -rf target

# Tests are not built or run here (.dockerignore keeps src/test out of the context); the
# project's own CI runs them, and script/docker-smoke drives the built image end to end.
COPY src/ src/
COPY frontend/ frontend/
# Then split the fat jar into Spring Boot's layers (libraries, loader, snapshots, our
# code) so the runtime stage copies them as separate image layers: a code change ships
# only the small application layer. The result runs with "java -jar application.jar".
# Without --launcher the spring-boot-loader layer is empty, and so is
# snapshot-dependencies while the pom has no snapshots; Docker's classic builder fails on
# consecutive COPYs of empty folders ("layer does not exist"), so both are folded into
# the application layer, which changes with every build anyway.
RUN ./mvnw -B package -DskipTests \
 && cp target/tertulia-*.jar application.jar \
 && java -Djarmode=tools -jar application.jar extract --layers --destination extracted \
 && cp -a extracted/spring-boot-loader/. extracted/snapshot-dependencies/. extracted/application/

########################################################################## runtime stage
FROM eclipse-temurin:25-jre

# A fixed, numeric, non-root user (so "runAsNonRoot" policies can verify it). The
# application files stay owned by root: the server only writes temporary files to /tmp.
RUN groupadd --system --gid 10001 tertulia \
 && useradd --system --uid 10001 --gid tertulia --home-dir /app --no-create-home \
      --shell /usr/sbin/nologin tertulia

WORKDIR /app
# Libraries (lib/, ~32 MB, change rarely) first; then application.jar, our code (~100 KB).
COPY --from=build /build/extracted/dependencies/ ./
COPY --from=build /build/extracted/application/ ./

# JVM flags, sized for a container. Replace them all with -e JAVA_OPTS="..." (split on
# spaces, no quoting).
# - MaxRAMPercentage=75: the heap follows the container's memory limit instead of the
#   JVM's default of 25% of it; the other quarter covers metaspace, code cache, thread
#   stacks (up to 200 Jetty threads) and the direct buffers of thousands of sockets.
# - UseG1GC: chosen explicitly because with under 2 CPUs or under ~1.8 GB the JVM would
#   otherwise pick the Serial collector, whose full pauses stall every room broadcast. G1's
#   pauses are short enough for chat at the small heaps this server needs; ZGC (sub-ms
#   pauses) is worth it only for large heaps with spare cores, and costs memory headroom.
# - ExitOnOutOfMemoryError: die at once and let the orchestrator restart the container,
#   rather than limp on with half-dead threads and connections.
# - The rest keep an idle node small (measured in docs/benchmarks.md): the heap starts at
#   16 MB instead of 1/64 of the machine's memory and gives back what a crowd left behind
#   (a collection after a minute without one: G1PeriodicGCInterval; MinHeapFreeRatio=10
#   keeps a collection from growing the heap for headroom it may never use); 1 MB regions
#   instead of up to 32 MB, so a small live set does not hold whole large regions; G1's
#   marking stack starts at 2 MB instead of 32 MB (it grows if a marking ever needs more).
# - MaxHeapFreeRatio stays at the JVM's 70. At 30 (until the eighteenth round) each marking
#   cycle's Remark cut the heap to the live set plus 30%, so under load the old generation
#   filled more than G1's marking threshold of the smaller heap at once, and the next cycle
#   began: a node that met a crowd of 10,000 and then chat at a steady rate ran a marking
#   cycle every 2 s, held a 40 MB heap, and spent up to a third more CPU per delivery.
# - TrimNativeHeapInterval=2000: every 2 s the JVM hands the C heap's free pages back to the
#   kernel. glibc keeps what the JIT compilers and startup freed: at 0 users about 20 MiB of
#   the RSS was free malloc memory (jcmd System.trim_native_heap: 166 -> 147 MiB).
ENV JAVA_OPTS="-XX:MaxRAMPercentage=75 -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError -Xms16m -XX:MinHeapFreeRatio=10 -XX:G1PeriodicGCInterval=60000 -XX:G1HeapRegionSize=1m -XX:MarkStackSize=256k -XX:TrimNativeHeapInterval=2000"

# The ahead-of-time cache (JDK 25, JEP 483/514/515): a training run (org.tertulia.Training: a
# node in memory mode on 127.0.0.1, without a warm start, and, in the same JVM, 3 rounds of
# 1,000 clients that connect at once, sign in, talk and leave) writes the classes it loaded
# and linked and the profiles of the methods it ran. A node started with it begins with them instead of loading, linking
# and profiling from scratch: on the test machine's pinned core it started in 6 to 7 s
# instead of 16 to 17, and its first join storm of 1,000 took about a third less time and
# CPU (docs/benchmarks.md, "The ninth round"). It runs
# here, in the runtime stage, because a cache is only valid for the JVM and the class path
# that wrote it, and with the flags below, which it must share with the node. Nothing leaves
# the build container. If JAVA_OPTS is replaced with flags the cache does not fit (another
# GC, say), the JVM starts without it.
RUN java $JAVA_OPTS -XX:AOTCacheOutput=/app/tertulia.aot -cp /app/application.jar org.tertulia.Training \
      > /tmp/training.log 2>&1 || { tail -40 /tmp/training.log; exit 1; }; \
    grep '^training: ' /tmp/training.log; rm -rf /tmp/training.log /tmp/jetty-* /tmp/tomcat*

USER 10001:10001

# The server reads SERVER_PORT (server.port: ${SERVER_PORT:8080}); the HEALTHCHECK follows it.
ENV SERVER_PORT=8080
EXPOSE 8080

# How the JVM uses the cache; the entrypoint passes these before JAVA_OPTS (script/bench --aot
# and script/docker-smoke read this line too).
# - AOTCompileEagerly (experimental in JDK 25): the JIT compiles each method the training run
#   had compiled as soon as its class is initialized, at the level the training reached, from
#   the cached profile, instead of waiting until the method has run a few thousand times
#   here. In the benchmark (docs/benchmarks.md, "The thirteenth round") a fresh node's first
#   join storm of 1,000 cost a sixth to a quarter less CPU with it (two invocations), the
#   fan-out about the same; a node said "Started" about a second later and held 13 to 16 MiB
#   more at 0 connections. Without a usable cache it does nothing.
ENV JAVA_AOT_OPTS="-XX:AOTCache=/app/tertulia.aot -XX:+UnlockExperimentalVMOptions -XX:+AOTCompileEagerly"

# Exec form, and "exec" replaces the shell, so the JVM is PID 1 and gets docker stop's
# SIGTERM itself: Spring's graceful shutdown then closes every chat client with 1001
# (going away) before the process exits. Arguments after the image name reach the
# application (e.g. --tertulia.room.history-size=100).
ENTRYPOINT ["sh", "-c", "exec java $JAVA_AOT_OPTS $JAVA_OPTS -jar /app/application.jar \"$@\"", "tertulia"]

# Healthy when the node is ready to serve: GET /actuator/health/readiness answers 200 (it
# answers 503 once shutdown has begun, and in cluster mode while Redis is out of reach).
# The base images have bash but no curl or wget, so the probe speaks HTTP over bash's /dev/tcp.
HEALTHCHECK --interval=5s --timeout=3s --start-period=60s --retries=3 \
  CMD bash -c 'exec 3<>"/dev/tcp/127.0.0.1/${SERVER_PORT:-8080}" \
      && printf "GET /actuator/health/readiness HTTP/1.0\r\nHost: localhost\r\n\r\n" >&3 \
      && read -r -t 2 _ status _ <&3 && [ "${status//[!0-9]/}" = 200 ]' || exit 1
