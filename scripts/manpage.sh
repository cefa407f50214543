#!/usr/bin/env bash
# Writes emud(8), a roff man page, from the argument parser's own help: `emud --help` gives the
# name line and the subcommands, `emud help SUB` each command's usage, arguments and options. Run at
# install time against the binary being installed, so the page never goes stale.
# Usage: scripts/manpage.sh EMUD-BINARY > emud.8
set -euo pipefail
emud=${1:?usage: manpage.sh EMUD-BINARY}

# roff-safe text: backslashes escaped, a leading . or ' neutralised.
roff() { sed -e 's/\\/\\e/g' -e "s/^\\([.']\\)/\\\\\\&\\1/"; }

top=$("$emud" --help)
version=$("$emud" --version)
abstract=$(printf '%s\n' "$top" | awk '/^OVERVIEW:/ { on = 1; sub(/^OVERVIEW: */, "") } on && /^$/ { exit } on { printf "%s%s", sep, $0; sep = " " }')
subcommands=$(printf '%s\n' "$top" | sed -n '/^SUBCOMMANDS:/,/^$/p' | awk 'NR > 1 && $1 != "" && $1 != "See" { print $1 }')

cat <<EOF
.TH EMUD 8 "" "$version" "System Administration"
.SH NAME
emud \- $(printf '%s' "${abstract:-SCSI device emulation for Linux TCMU}" | roff)
.SH SYNOPSIS
.B emud
[\fISUBCOMMAND\fR] [\fIOPTIONS\fR]
.br
.B emud serve
[\fB\-\-config\fR \fIFILE\fR] [\fB\-\-log\-level\fR \fIN\fR] [\fB\-d\fR] [\fB\-l\fR \fIDIR\fR] ...
.SH DESCRIPTION
emud is the userspace side of Linux TCMU (target_core_user): LIO hands every SCSI command of a
user-backed LUN to emud through a shared-memory ring, and emud answers it as a disk (file, qcow2),
an optical drive (fbo) or a zoned disk (zbc). It is a drop-in replacement for tcmu-runner: the same
configfs config strings, the same D-Bus service for targetcli, the same /etc/tcmu/tcmu.conf and
command-line flags. Without a subcommand it serves in the foreground.
EOF
echo ".SH COMMANDS"
for sub in $subcommands; do
  echo ".SS emud $sub"
  echo ".nf"
  "$emud" help "$sub" | roff
  echo ".fi"
done
cat <<'EOF'
.SH FILES
.TP
.I /etc/tcmu/tcmu.conf
log_level (0\-5) and log_dir, tcmu-runner's keys; read at start when it exists and again whenever it
changes (the folder is watched, so an editor's rename-replace counts).
.TP
.I /run/emud/control.sock
the control socket of
.BR "emud ctl" .
.SH SIGNALS
SIGTERM and SIGINT drain every device and exit; SIGHUP reopens the log file.
.SH ENVIRONMENT
.TP
.B TCMU_LOGDIR
the log folder when neither the command line nor tcmu.conf names one.
.SH SEE ALSO
.BR tcmu-runner (8),
.BR targetcli (8),
.BR systemctl (1)
EOF
