#!/usr/bin/env bash
# fbo-burn-dvd-bd: the DVD and BD recordable profiles growisofs and dvd+rw-format burn (issue 17). A
# DVD-R (0011h) burned by growisofs -Z reads back; a DVD-RW (0014h) is formatted to restricted overwrite
# (0013h) by dvd+rw-format, burned by growisofs -Z, then blanked back to sequential by dvd+rw-format
# -blank; a BD-R (0041h) and a BD-RE (0043h) are burned by growisofs -Z; a DVD+R burned with
# growisofs -dvd-compat is finalized (complete), a further growisofs -M is refused by growisofs and a raw
# WRITE(10) at the old next writable address by the drive: ILLEGAL REQUEST 21/02 INVALID ADDRESS FOR
# WRITE. Each disc is mounted and compared file by file after a tray reload. QEMU's scsi-cd (read-only),
# tcmu-runner's fbo (DVD-RAM only) and scsi_debug (no optical device) can do none of this.
# timeout: 900
# requires: growisofs dvd+rw-mediainfo dvd+rw-format genisoimage sg_turs sg_raw
# columns: emud
# n/a: tcmu-runner's fbo emulates DVD-RAM only: no recordable media; LIO fileio has no optical drive
set -uo pipefail
source "$REPO/vm/lib/guest.sh"
source "$REPO/vm/lib/optical.sh"

make_iso one ONE 2048
check_start_daemon
mark=$(dmesg_mark fbo-burn-dvd-bd)
check "drive created on a blank DVD-R" \
  create_device dvd0 "fbo/profile-dvd-r/capacity-65536/$SCRATCH/dvd-r.img" $((65536 * 2048)) hw_block_size=2048
BLK= SG=
read -r BLK SG < <(link_loop dvd0 || true)
check "sr attaches ($BLK)" sh -c "case '$BLK' in /dev/sr*) test -b '$BLK';; *) false;; esac"

# mediainfo NAME: dvd+rw-mediainfo's report kept as mediainfo-NAME.txt.
mediainfo() { dvd+rw-mediainfo "$BLK" > "$ART/mediainfo-$1.txt" 2>&1; cat "$ART/mediainfo-$1.txt"; }
# mediainfo_has NAME REGEX...: the report holds every extended REGEX.
mediainfo_has() {
  local name=$1 p; shift
  mediainfo "$name" > /dev/null
  for p in "$@"; do grep -Eq -- "$p" "$ART/mediainfo-$name.txt" || { cat "$ART/mediainfo-$name.txt"; echo "missing: $p"; return 1; }; done
}
reload_reads_back() { burned_disc_reads_back "$BLK" "$SG" one ONE; }
state_is() { media_state_is "$BLK" "$1"; }
insert_blank() { emud_ctl dvd0 insert --blank "$1" --capacity "$2" "$SCRATCH/$1.img" && tur_ready "$SG"; }

# DVD-R sequential (0011h).
check "dvd+rw-mediainfo: blank DVD-R (11h)" mediainfo_has dvd-r-blank 'Mounted Media: *11h, DVD-R Sequential' 'Disc status: *blank'
check "growisofs -Z burns the DVD-R" artifact growisofs-dvd-r.txt growisofs -Z "$BLK=$SCRATCH/one.iso"
check "dvd+rw-mediainfo: DVD-R after the burn" mediainfo_has dvd-r-burned 'Disc status: *(appendable|complete)'
check "the DVD-R reads back" reload_reads_back

# DVD-RW: sequential (0014h) -> dvd+rw-format -> restricted overwrite (0013h) -> burn -> blank.
check "emud ctl insert --blank dvd-rw" insert_blank dvd-rw 65536
check "dvd+rw-mediainfo: blank DVD-RW sequential (14h)" mediainfo_has dvd-rw-blank 'Mounted Media: *14h, DVD-RW Sequential' 'Disc status: *blank'
check "dvd+rw-format -force formats to restricted overwrite" artifact dvd+rw-format.txt dvd+rw-format -force "$BLK"
check "dvd+rw-mediainfo: DVD-RW restricted overwrite (13h)" mediainfo_has dvd-rw-ro 'Mounted Media: *13h, DVD-RW Restricted Overwrite'
check "growisofs -Z burns the DVD-RW" artifact growisofs-dvd-rw.txt growisofs -Z "$BLK=$SCRATCH/one.iso"
check "the DVD-RW reads back" reload_reads_back
check "dvd+rw-format -blank blanks it" artifact dvd+rw-format-blank.txt dvd+rw-format -blank "$BLK"
check "dvd+rw-mediainfo: blank DVD-RW sequential again" mediainfo_has dvd-rw-blanked 'Mounted Media: *14h, DVD-RW Sequential' 'Disc status: *blank'

# BD-R (0041h) and BD-RE (0043h).
check "emud ctl insert --blank bd-r" insert_blank bd-r 65536
check "dvd+rw-mediainfo: blank BD-R (41h)" mediainfo_has bd-r-blank 'Mounted Media: *41h, BD-R SRM' 'Disc status: *blank'
check "growisofs -Z burns the BD-R" artifact growisofs-bd-r.txt growisofs -Z "$BLK=$SCRATCH/one.iso"
check "the BD-R reads back" reload_reads_back
check "emud ctl insert --blank bd-re" insert_blank bd-re 65536
check "dvd+rw-mediainfo: BD-RE (43h)" mediainfo_has bd-re-blank 'Mounted Media: *43h, BD-RE'
check "growisofs -Z burns the BD-RE" artifact growisofs-bd-re.txt growisofs -Z "$BLK=$SCRATCH/one.iso"
check "the BD-RE reads back" reload_reads_back

# DVD+R finalized by growisofs -dvd-compat: complete, and nothing more is written.
check "emud ctl insert --blank dvd+r" insert_blank dvd+r 65536
check "growisofs -dvd-compat -Z burns and finalizes" artifact growisofs-compat.txt growisofs -dvd-compat -Z "$BLK=$SCRATCH/one.iso"
check "dvd+rw-mediainfo: complete" mediainfo_has dvd+r-final 'Disc status: *complete'
check "cdrom_id: complete" state_is complete
check "emud ctl status: complete" ctl_status_matches dvd0 'state=complete'
mkdir -p "$SCRATCH/more"; pattern_file "$SCRATCH/more/TWO.BIN" 64 two
check "growisofs -M on the finalized DVD+R is refused" artifact growisofs-M-final.txt expect_fail growisofs -M "$BLK" -R -J "$SCRATCH/more"
END=$(emud_ctl dvd0 status | tr ' ' '\n' | sed -n 's/^track1=s1:0+\([0-9]*\).*/\1/p')
# WRITE(10) of one block at the block after track 1: sg_raw prints the decoded sense.
check "WRITE(10) at block ${END:-?} refused: ILLEGAL REQUEST, Invalid address for write (21/02)" \
  fails_saying 'Illegal Request' 'Invalid address for write' -- \
  sg_raw -s 2048 -i /dev/zero "$SG" 2a 00 $(printf '%02x %02x %02x %02x' $((END >> 24 & 255)) $((END >> 16 & 255)) $((END >> 8 & 255)) $((END & 255))) 00 00 01 00
check "the finalized DVD+R reads back" reload_reads_back

check "device removed" remove_device dvd0
check "no kernel warnings or errors" dmesg_clean_since "$mark"
summary
