#!/bin/sh
set -eu
apt-get install -y liblzma5=5.6.0-0.1
