// Replaced by the SCSI core.
