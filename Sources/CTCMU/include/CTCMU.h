#ifndef EMUD_CTCMU_H
#define EMUD_CTCMU_H
/* The kernel's own TCMU ABI header, reached only to check our offsets against it.
 * <linux/uio.h>'s iovec clashes with glibc's: take glibc's first and fence the UAPI one off. */
#include <sys/uio.h>
#define __LINUX_UIO_H
#include <stddef.h>
#include <linux/target_core_user.h>

/* Offsets and sizes as the C compiler lays them out (Swift does not import over-aligned structs). */
size_t ctcmu_mailbox_size(void);
size_t ctcmu_mailbox_offset(int field);
size_t ctcmu_entry_size(void);
size_t ctcmu_entry_offset(int field);
size_t ctcmu_tmr_entry_size(void);
size_t ctcmu_tmr_entry_offset(int field);
#endif
