#include "CTCMU.h"

size_t ctcmu_mailbox_size(void) { return sizeof(struct tcmu_mailbox); }

/* 0 version, 1 flags, 2 cmdr_off, 3 cmdr_size, 4 cmd_head, 5 cmd_tail */
size_t ctcmu_mailbox_offset(int field) {
    switch (field) {
    case 0: return offsetof(struct tcmu_mailbox, version);
    case 1: return offsetof(struct tcmu_mailbox, flags);
    case 2: return offsetof(struct tcmu_mailbox, cmdr_off);
    case 3: return offsetof(struct tcmu_mailbox, cmdr_size);
    case 4: return offsetof(struct tcmu_mailbox, cmd_head);
    case 5: return offsetof(struct tcmu_mailbox, cmd_tail);
    default: return (size_t)-1;
    }
}

size_t ctcmu_entry_size(void) { return sizeof(struct tcmu_cmd_entry); }

/* 0 len_op, 1 cmd_id, 2 kflags, 3 uflags, 4 iov_cnt, 5 iov_bidi_cnt, 6 iov_dif_cnt, 7 cdb_off, 8 iov,
 * 9 scsi_status, 10 read_len, 11 sense_buffer */
size_t ctcmu_entry_offset(int field) {
    switch (field) {
    case 0: return offsetof(struct tcmu_cmd_entry, hdr.len_op);
    case 1: return offsetof(struct tcmu_cmd_entry, hdr.cmd_id);
    case 2: return offsetof(struct tcmu_cmd_entry, hdr.kflags);
    case 3: return offsetof(struct tcmu_cmd_entry, hdr.uflags);
    case 4: return offsetof(struct tcmu_cmd_entry, req.iov_cnt);
    case 5: return offsetof(struct tcmu_cmd_entry, req.iov_bidi_cnt);
    case 6: return offsetof(struct tcmu_cmd_entry, req.iov_dif_cnt);
    case 7: return offsetof(struct tcmu_cmd_entry, req.cdb_off);
    case 8: return offsetof(struct tcmu_cmd_entry, req.iov);
    case 9: return offsetof(struct tcmu_cmd_entry, rsp.scsi_status);
    case 10: return offsetof(struct tcmu_cmd_entry, rsp.read_len);
    case 11: return offsetof(struct tcmu_cmd_entry, rsp.sense_buffer);
    default: return (size_t)-1;
    }
}

size_t ctcmu_tmr_entry_size(void) { return sizeof(struct tcmu_tmr_entry); }

/* 0 tmr_type, 1 cmd_cnt, 2 cmd_ids */
size_t ctcmu_tmr_entry_offset(int field) {
    switch (field) {
    case 0: return offsetof(struct tcmu_tmr_entry, tmr_type);
    case 1: return offsetof(struct tcmu_tmr_entry, cmd_cnt);
    case 2: return offsetof(struct tcmu_tmr_entry, cmd_ids);
    default: return (size_t)-1;
    }
}
