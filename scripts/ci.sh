#!/usr/bin/env bash
# Kept for old instructions: the test command is `bash .ci/run`.
exec bash "$(dirname "$0")/../.ci/run"
