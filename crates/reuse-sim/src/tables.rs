//! Index types for the engine's tables. Lookups are on every hot path;
//! inlined, they cost a bounds check instead of a call in size-optimised
//! builds.

use std::ops::{Index, IndexMut};

use crate::trace::ConnId;

/// Connections by id (ids count from 1, in the order they were opened).
pub(crate) struct Conns<T>(pub Vec<T>);

impl<T> Conns<T> {
    pub fn new() -> Self {
        Conns(Vec::new())
    }

    /// The id the next pushed connection gets.
    pub fn next_id(&self) -> ConnId {
        self.0.len() as ConnId + 1
    }
}

impl<T> Index<ConnId> for Conns<T> {
    type Output = T;
    #[inline(always)]
    fn index(&self, c: ConnId) -> &T {
        &self.0.as_slice()[c as usize - 1]
    }
}

impl<T> IndexMut<ConnId> for Conns<T> {
    #[inline(always)]
    fn index_mut(&mut self, c: ConnId) -> &mut T {
        &mut self.0.as_mut_slice()[c as usize - 1]
    }
}

/// Hosts or requests by index (from 0), inlined like [`Conns`].
pub(crate) struct Table<T>(pub Vec<T>);

impl<T> Index<u32> for Table<T> {
    type Output = T;
    #[inline(always)]
    fn index(&self, i: u32) -> &T {
        &self.0.as_slice()[i as usize]
    }
}

impl<T> IndexMut<u32> for Table<T> {
    #[inline(always)]
    fn index_mut(&mut self, i: u32) -> &mut T {
        &mut self.0.as_mut_slice()[i as usize]
    }
}
