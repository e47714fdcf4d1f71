#!/bin/sh
# As the public image's entrypoint: options alone mean "redis-server <options>". And as its
# build: protected mode off by default (Redis sits on a private network there). Debian
# compiles it on, so it is turned off here unless a later option turns it back on; with a
# configuration file (first argument) the file decides.
set -e
case "${1-}" in -*) set -- redis-server "$@" ;; esac
if [ "${1-}" = redis-server ]; then
    shift
    case "${1-}" in
        -v|--version|-h|--help|--test-memory|--check-system|*.conf) set -- redis-server "$@" ;;
        *) set -- redis-server --protected-mode no "$@" ;;
    esac
fi
exec "$@"
