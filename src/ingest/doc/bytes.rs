//! Bounds-checked little-endian reads: every read of file data goes through these, so an
//! offset or length from the file can never index past a buffer.

/// The `len` bytes at `at`, or `None` when they are not all inside `data`.
pub(super) fn slice(data: &[u8], at: usize, len: usize) -> Option<&[u8]> {
    data.get(at..at.checked_add(len)?)
}

/// The `len` bytes at the file offset `at` (a `u32` from the file).
pub(super) fn slice32(data: &[u8], at: u32, len: u32) -> Option<&[u8]> {
    slice(data, usize::try_from(at).ok()?, usize::try_from(len).ok()?)
}

/// The byte at `at`.
pub(super) fn u8_at(data: &[u8], at: usize) -> Option<u8> {
    data.get(at).copied()
}

/// The little-endian `u16` at `at`.
pub(super) fn u16_at(data: &[u8], at: usize) -> Option<u16> {
    slice(data, at, 2)?.try_into().ok().map(u16::from_le_bytes)
}

/// The little-endian `u32` at `at`.
pub(super) fn u32_at(data: &[u8], at: usize) -> Option<u32> {
    slice(data, at, 4)?.try_into().ok().map(u32::from_le_bytes)
}

/// The little-endian `i32` at `at`.
pub(super) fn i32_at(data: &[u8], at: usize) -> Option<i32> {
    slice(data, at, 4)?.try_into().ok().map(i32::from_le_bytes)
}

/// The little-endian `i16` at `at`.
pub(super) fn i16_at(data: &[u8], at: usize) -> Option<i16> {
    slice(data, at, 2)?.try_into().ok().map(i16::from_le_bytes)
}

/// A PLC ([MS-DOC] 2.2.2): `n + 1` CPs or FCs followed by `n` data elements of `data_size`
/// bytes each; `n` is derived from the PLC's size and is 0 for a PLC too small to hold one.
#[derive(Debug, Clone, Copy)]
pub(super) struct Plc<'a> {
    bytes: &'a [u8],
    data_size: usize,
    count: usize,
}

impl<'a> Plc<'a> {
    /// Reads the PLC held by `bytes` whose elements are `data_size` bytes.
    pub fn new(bytes: &'a [u8], data_size: usize) -> Plc<'a> {
        let count = bytes.len().saturating_sub(4) / (4 + data_size);
        Plc {
            bytes,
            data_size,
            count,
        }
    }

    /// How many data elements the PLC holds.
    pub fn len(&self) -> usize {
        self.count
    }

    /// The `i`th position (`0..=len()`).
    pub fn pos(&self, i: usize) -> Option<u32> {
        if i > self.count {
            return None;
        }
        u32_at(self.bytes, i.checked_mul(4)?)
    }

    /// The `i`th data element.
    pub fn data(&self, i: usize) -> Option<&'a [u8]> {
        if i >= self.count {
            return None;
        }
        let start = (self.count + 1) * 4 + i * self.data_size;
        slice(self.bytes, start, self.data_size)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_never_run_past_the_end() {
        let data = [1u8, 2, 3];
        assert_eq!(u16_at(&data, 1), Some(0x0302));
        assert_eq!(u16_at(&data, 2), None);
        assert_eq!(u32_at(&data, usize::MAX), None);
        assert_eq!(slice(&data, usize::MAX, 2), None);
        assert_eq!(slice32(&data, u32::MAX, u32::MAX), None);
    }

    #[test]
    fn plc_elements_follow_the_positions() {
        // Two elements of 2 bytes: positions 0, 5, 9 then data [a, b], [c, d].
        let mut bytes = Vec::new();
        for p in [0u32, 5, 9] {
            bytes.extend(p.to_le_bytes());
        }
        bytes.extend([b'a', b'b', b'c', b'd']);
        let plc = Plc::new(&bytes, 2);
        assert_eq!(plc.len(), 2);
        assert_eq!(plc.pos(2), Some(9));
        assert_eq!(plc.pos(3), None);
        assert_eq!(plc.data(1), Some(&b"cd"[..]));
        assert_eq!(plc.data(2), None);
        assert_eq!(Plc::new(&[1, 2], 8).len(), 0);
    }
}
