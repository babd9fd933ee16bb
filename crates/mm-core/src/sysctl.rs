//! `/proc/sys/vm`: the tunables this model honours, with the kernel's ranges and the
//! side effects of writing them (`kernel/sysctl.c`, `mm/page_alloc.c`, `mm/util.c`).

/// The vm sysctls and their current values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VmSysctl {
    /// `vm.min_free_kbytes`: the pool the watermarks are carved from.
    pub min_free_kbytes: u64,
    /// `vm.watermark_scale_factor`: distance between watermarks, in 1/10000 of a zone.
    pub watermark_scale_factor: u64,
    /// `vm.watermark_boost_factor`: cap of the fragmentation boost, in 1/10000 of high.
    pub watermark_boost_factor: u64,
    /// `vm.lowmem_reserve_ratio`.
    pub lowmem_reserve_ratio: [u64; 4],
    /// `vm.overcommit_memory`: 0 guess, 1 always, 2 never.
    pub overcommit_memory: u8,
    /// `vm.overcommit_ratio`: percent of RAM in CommitLimit (mode 2).
    pub overcommit_ratio: u64,
    /// `vm.overcommit_kbytes`: CommitLimit's RAM part in kB, if not 0.
    pub overcommit_kbytes: u64,
    /// `vm.admin_reserve_kbytes`.
    pub admin_reserve_kbytes: u64,
    /// `vm.user_reserve_kbytes`.
    pub user_reserve_kbytes: u64,
    /// `vm.swappiness`.
    pub swappiness: u64,
}

impl Default for VmSysctl {
    fn default() -> Self {
        VmSysctl {
            min_free_kbytes: 1024,
            watermark_scale_factor: crate::watermark::WATERMARK_SCALE_FACTOR,
            watermark_boost_factor: 15_000,
            lowmem_reserve_ratio: crate::watermark::LOWMEM_RESERVE_RATIO,
            overcommit_memory: 0,
            overcommit_ratio: 50,
            overcommit_kbytes: 0,
            admin_reserve_kbytes: 8192,
            user_reserve_kbytes: 131_072,
            swappiness: 60,
        }
    }
}

/// Every sysctl name this model knows, for `sysctl -a` and tab completion.
pub const NAMES: &[&str] = &[
    "admin_reserve_kbytes",
    "lowmem_reserve_ratio",
    "min_free_kbytes",
    "overcommit_kbytes",
    "overcommit_memory",
    "overcommit_ratio",
    "swappiness",
    "user_reserve_kbytes",
    "watermark_boost_factor",
    "watermark_scale_factor",
];

/// What a write changed, so the machine can recompute what depends on it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Effect {
    /// Nothing else depends on it.
    None,
    /// Watermarks (and per-CPU list sizes) must be recomputed.
    Watermarks,
    /// The lowmem reserves must be recomputed.
    LowmemReserve,
}

fn int(value: &str, name: &str, lo: u64, hi: u64) -> Result<u64, String> {
    let v: i64 = value
        .trim()
        .parse()
        .map_err(|_| format!("{name}: '{}' is not an integer (EINVAL)", value.trim()))?;
    if v < lo as i64 || v > hi as i64 {
        return Err(format!("{name}: {v} is out of range {lo}..{hi} (EINVAL)"));
    }
    Ok(v as u64)
}

impl VmSysctl {
    /// Reads a sysctl by its short name (`min_free_kbytes`), as the file's text without
    /// the newline.
    pub fn get(&self, name: &str) -> Option<String> {
        Some(match name {
            "min_free_kbytes" => self.min_free_kbytes.to_string(),
            "watermark_scale_factor" => self.watermark_scale_factor.to_string(),
            "watermark_boost_factor" => self.watermark_boost_factor.to_string(),
            "lowmem_reserve_ratio" => self
                .lowmem_reserve_ratio
                .iter()
                .map(|r| r.to_string())
                .collect::<Vec<_>>()
                .join("\t"),
            "overcommit_memory" => self.overcommit_memory.to_string(),
            "overcommit_ratio" => self.overcommit_ratio.to_string(),
            "overcommit_kbytes" => self.overcommit_kbytes.to_string(),
            "admin_reserve_kbytes" => self.admin_reserve_kbytes.to_string(),
            "user_reserve_kbytes" => self.user_reserve_kbytes.to_string(),
            "swappiness" => self.swappiness.to_string(),
            _ => return None,
        })
    }

    /// Writes a sysctl, checking the kernel's range; on error nothing changes.
    pub fn set(&mut self, name: &str, value: &str) -> Result<Effect, String> {
        let i32_max = i32::MAX as u64;
        match name {
            "min_free_kbytes" => {
                self.min_free_kbytes = int(value, name, 0, i32_max)?;
                Ok(Effect::Watermarks)
            }
            "watermark_scale_factor" => {
                self.watermark_scale_factor = int(value, name, 1, 3000)?;
                Ok(Effect::Watermarks)
            }
            "watermark_boost_factor" => {
                self.watermark_boost_factor = int(value, name, 0, i32_max)?;
                Ok(Effect::None)
            }
            "lowmem_reserve_ratio" => {
                let mut new = self.lowmem_reserve_ratio;
                let parts: Vec<&str> = value.split_whitespace().collect();
                if parts.is_empty() || parts.len() > 4 {
                    return Err(format!("{name}: write up to 4 numbers (EINVAL)"));
                }
                for (slot, part) in new.iter_mut().zip(parts) {
                    *slot = int(part, name, 0, i32_max)?;
                }
                self.lowmem_reserve_ratio = new;
                Ok(Effect::LowmemReserve)
            }
            "overcommit_memory" => {
                self.overcommit_memory = int(value, name, 0, 2)? as u8;
                Ok(Effect::None)
            }
            "overcommit_ratio" => {
                self.overcommit_ratio = int(value, name, 0, i32_max)?;
                // overcommit_ratio_handler: writing the ratio zeroes kbytes.
                self.overcommit_kbytes = 0;
                Ok(Effect::None)
            }
            "overcommit_kbytes" => {
                self.overcommit_kbytes = int(value, name, 0, u64::from(u32::MAX) << 8)?;
                // overcommit_kbytes_handler: writing kbytes zeroes the ratio.
                self.overcommit_ratio = 0;
                Ok(Effect::None)
            }
            "admin_reserve_kbytes" => {
                self.admin_reserve_kbytes = int(value, name, 0, u64::from(u32::MAX) << 8)?;
                Ok(Effect::None)
            }
            "user_reserve_kbytes" => {
                self.user_reserve_kbytes = int(value, name, 0, u64::from(u32::MAX) << 8)?;
                Ok(Effect::None)
            }
            "swappiness" => {
                self.swappiness = int(value, name, 0, 200)?;
                Ok(Effect::None)
            }
            _ => Err(format!(
                "sysctl: cannot stat /proc/sys/vm/{name}: No such file or directory"
            )),
        }
    }
}
