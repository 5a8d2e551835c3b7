#!/bin/sh
# Runs ravenous with /data/ravenous.yaml when it exists, else on the embedded default with the
# RAVENOUS_* environment. exec: ravenous is PID 1's child-free replacement and gets SIGTERM.
set -e
if [ -f /data/ravenous.yaml ] && [ "$#" -eq 0 ]; then
    exec /usr/local/bin/ravenous --config /data/ravenous.yaml
fi
exec /usr/local/bin/ravenous "$@"
