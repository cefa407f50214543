extension MappedRing {
    /// Bytes of the data area (from the end of the command ring to the end of the map).
    public var dataAreaSize: Int { max(0, region.count - dataAreaOffset) }
}
