# A stand-in for the public redis:7.0 image, for machines that reach Debian's packages but no
# image registry: Debian bookworm's redis-server (7.0.x) on the debootstrap base that
# ../shared/docker/local-bases makes. script/compose-smoke builds it when redis:7.0 is missing:
#
#   docker build --network=host -t redis:7.0 -f deploy/stand-ins/redis.Dockerfile deploy/stand-ins
#
# What deploy/docker-compose.yml relies on behaves as in the public image: "redis-server
# [options]" as the command, port 6379, protected mode off (the public image compiles it
# off: Redis sits on a private network there), the server running as user redis in /data.
FROM local/debian:bookworm
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends redis-server \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/* \
 && mkdir -p /data && chown redis:redis /data
COPY redis-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
LABEL org.tertulia.stand-in="redis:7.0 from Debian bookworm's redis-server"
WORKDIR /data
USER redis
EXPOSE 6379
ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]
CMD ["redis-server"]
