#!/usr/bin/env bash
# fbo-burn-cd: CD-R and CD-RW burned the ways CD burners burn them (issue 17). `cdrskin -minfo` on a
# blank CD-R; `wodim -dao` (session at once: SEND CUE SHEET, writes from LBA -150) burns it; the disc
# reads back file by file after a tray reload; `cdrskin -minfo` then reports the complete disc. A second
# blank CD-R burned by `cdrskin -sao` reads back. A CD-RW burned by `xorriso -as cdrecord -tao`, blanked by
# `xorriso -blank as_needed` (BLANK), burned again with another image, reads back the second one. A SEND
# CUE SHEET while the Write Parameters page says track at once is refused: ILLEGAL REQUEST 2C/00 COMMAND
# SEQUENCE ERROR. QEMU's scsi-cd (read-only), tcmu-runner's fbo (DVD-RAM only) and scsi_debug (no
# optical device) can do none of this.
# timeout: 900
# requires: wodim cdrskin xorriso genisoimage sg_turs sg_raw
# columns: emud
# n/a: tcmu-runner's fbo emulates DVD-RAM only: no recordable media; LIO fileio has no optical drive
set -uo pipefail
source "$REPO/vm/lib/guest.sh"
source "$REPO/vm/lib/optical.sh"

make_iso one ONE 2048
make_iso two TWO 1024
check_start_daemon
mark=$(dmesg_mark fbo-burn-cd)
check "drive created on a blank CD-R" \
  create_device cd0 "fbo/profile-cdr/capacity-40000/$SCRATCH/cdr-1.img" $((40000 * 2048)) hw_block_size=2048
BLK= SG=
read -r BLK SG < <(link_loop cd0 || true)
check "sr attaches ($BLK)" sh -c "case '$BLK' in /dev/sr*) test -b '$BLK';; *) false;; esac"

# same_files NAME: after a tray reload the disc holds every file of `make_iso NAME` (LABEL.TXT, DATA.BIN).
same_files() { burned_disc_reads_back "$BLK" "$SG" "$1" "${1^^}"; }
state_is() { media_state_is "$BLK" "$1"; }
insert_blank() { emud_ctl cd0 insert --blank "$1" --capacity 40000 "$SCRATCH/$2.img" && tur_ready "$SG"; }

# CD-R, session at once with wodim.
check "cdrskin -minfo: blank CD-R" minfo blank 'CD-R' 'status: *(blank|empty)'
check "wodim -dao burns the CD-R" artifact wodim-dao.txt wodim -v dev="$BLK" gracetime=2 -dao "$SCRATCH/one.iso"
check "emud ctl status: complete, one closed track" ctl_status_matches cd0 'state=complete .*track1=s1:0\+[0-9]+/[0-9]+,closed'
check "cdrom_id: CD-R complete" state_is complete
check "every file of the wodim -dao CD-R reads back" same_files one
check "cdrskin -minfo: the burned CD-R" minfo burned 'status: *(complete|closed|finalized)'

# CD-R, session at once with cdrskin.
check "emud ctl insert --blank cdr" insert_blank cdr cdr-2
check "cdrskin -sao burns the CD-R" artifact cdrskin-sao.txt cdrskin -v dev="$BLK" -sao "$SCRATCH/two.iso"
check "every file of the cdrskin -sao CD-R reads back" same_files two

# CD-RW: burn, blank, burn again.
check "emud ctl insert --blank cdrw" insert_blank cdrw cdrw
check "xorriso -as cdrecord -tao burns the CD-RW" artifact xorriso-cdrw-1.txt xorriso -as cdrecord -v dev="$BLK" -tao "$SCRATCH/one.iso"
check "every file of the CD-RW reads back" same_files one
check "xorriso -blank as_needed blanks the CD-RW" artifact xorriso-blank.txt xorriso -outdev "$BLK" -blank as_needed
check "cdrom_id: CD-RW blank" state_is blank
check "xorriso -as cdrecord -tao burns the blanked CD-RW again" artifact xorriso-cdrw-2.txt xorriso -as cdrecord -v dev="$BLK" -tao "$SCRATCH/two.iso"
check "the CD-RW now holds the second image, file by file" same_files two

# SEND CUE SHEET while the Write Parameters page says track at once (xorriso left it so).
check "emud ctl insert --blank cdr" insert_blank cdr cdr-3
printf '\001\000\000\024\000\000\000\000\101\001\000\020\000\000\000\000\101\001\001\020\000\000\002\000\001\252\001\024\000\001\000\000' > "$SCRATCH/cue.bin"
check "SEND CUE SHEET in track-at-once mode refused: ILLEGAL REQUEST, Command sequence error (2C/00)" \
  fails_saying 'Illegal Request' 'Command sequence error' -- sg_raw -s 32 -i "$SCRATCH/cue.bin" "$SG" 5d 00 00 00 00 00 00 00 20 00

check "device removed" remove_device cd0
check "no kernel warnings or errors" dmesg_clean_since "$mark"
summary
