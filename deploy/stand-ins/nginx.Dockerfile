# A stand-in for the public nginx:1.22 image, for machines that reach Debian's packages but no
# image registry: Debian bookworm's nginx (1.22.x) on the debootstrap base that
# ../shared/docker/local-bases makes. script/compose-smoke builds it when nginx:1.22 is missing:
#
#   docker build --network=host -t nginx:1.22 -f deploy/stand-ins/nginx.Dockerfile deploy/stand-ins
#
# What deploy/docker-compose.yml relies on behaves as in the public image: the configuration
# in /etc/nginx/nginx.conf, "nginx -g 'daemon off;'" in the foreground, the access and error
# logs on the container's stdout and stderr, SIGQUIT (graceful) to stop.
FROM local/debian:bookworm
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nginx \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/* \
 && ln -sf /dev/stdout /var/log/nginx/access.log \
 && ln -sf /dev/stderr /var/log/nginx/error.log
LABEL org.tertulia.stand-in="nginx:1.22 from Debian bookworm's nginx"
EXPOSE 80
STOPSIGNAL SIGQUIT
CMD ["nginx", "-g", "daemon off;"]
