#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# dracut pre-udev hook: load ppt before udev binds host drivers.
modprobe -q ppt || warn "ppt: modprobe ppt failed; host drivers may take reserved devices"
