// Replaced by the ring.
