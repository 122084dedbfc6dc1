//! Plain-text formatting: numbers for people and aligned tables.

/// Milliseconds with one decimal and thousands separators: `1,200.0`.
pub fn ms(value: f64) -> String {
    if !value.is_finite() {
        return value.to_string();
    }
    let text = format!("{value:.1}");
    // `-0.0` (and values that round to it) read as a sign error to people.
    let text = if text.trim_start_matches('-').chars().all(|c| c == '0' || c == '.') {
        text.trim_start_matches('-').to_string()
    } else {
        text
    };
    group_thousands(&text)
}

/// A whole number with thousands separators: `230,000`.
pub fn count(value: u64) -> String {
    group_thousands(&value.to_string())
}

/// Bytes for people: `830 B`, `23.4 KB`, `1.5 MB` (decimal units, as
/// network rates are decimal too).
pub fn bytes(value: u64) -> String {
    const KB: f64 = 1_000.0;
    const MB: f64 = 1_000_000.0;
    let v = value as f64;
    if v < KB {
        format!("{value} B")
    } else if v < MB {
        format!("{:.1} KB", v / KB)
    } else {
        format!("{} MB", group_thousands(&format!("{:.1}", v / MB)))
    }
}

/// Inserts `,` every three digits into the integer part of a decimal number.
fn group_thousands(number: &str) -> String {
    let (sign, unsigned) = match number.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", number),
    };
    let (int_part, frac_part) = match unsigned.find('.') {
        Some(dot) => unsigned.split_at(dot),
        None => (unsigned, ""),
    };
    let digits: Vec<char> = int_part.chars().collect();
    let groups: Vec<String> = digits.rchunks(3).rev().map(|group| group.iter().collect()).collect();
    let mut out = String::with_capacity(number.len() + digits.len() / 3);
    out.push_str(sign);
    out.push_str(&groups.join(","));
    out.push_str(frac_part);
    out
}

/// A percentage with one decimal: `45.5%`.
pub fn percent(fraction: f64) -> String {
    let text = format!("{:.1}%", fraction * 100.0);
    if text == "-0.0%" {
        "0.0%".into()
    } else {
        text
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// A table of text cells with aligned columns, two spaces apart.
pub struct Table {
    columns: Vec<(String, Align)>,
    rows: Vec<Vec<String>>,
    indent: usize,
}

impl Table {
    pub fn new(columns: &[(&str, Align)]) -> Self {
        Table {
            columns: columns.iter().map(|(h, a)| (h.to_string(), *a)).collect(),
            rows: Vec::new(),
            indent: 0,
        }
    }

    /// Spaces before every line, to nest the table under a heading.
    pub fn indent(mut self, spaces: usize) -> Self {
        self.indent = spaces;
        self
    }

    pub fn row(&mut self, cells: Vec<String>) {
        debug_assert_eq!(cells.len(), self.columns.len());
        self.rows.push(cells);
    }

    pub fn render(&self) -> String {
        let width = |s: &str| s.chars().count();
        let mut widths: Vec<usize> = self.columns.iter().map(|(h, _)| width(h)).collect();
        for row in &self.rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(width(cell));
            }
        }
        let mut out = String::new();
        let headers: Vec<String> = self.columns.iter().map(|(h, _)| h.clone()).collect();
        for cells in std::iter::once(&headers).chain(&self.rows) {
            let mut line = " ".repeat(self.indent);
            for (i, cell) in cells.iter().enumerate() {
                if i > 0 {
                    line.push_str("  ");
                }
                let pad = " ".repeat(widths[i].saturating_sub(width(cell)));
                match self.columns[i].1 {
                    Align::Left => {
                        line.push_str(cell);
                        line.push_str(&pad);
                    }
                    Align::Right => {
                        line.push_str(&pad);
                        line.push_str(cell);
                    }
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn milliseconds_have_one_decimal_and_separators() {
        assert_eq!(ms(0.0), "0.0");
        assert_eq!(ms(-0.0), "0.0");
        assert_eq!(ms(-0.04), "0.0");
        assert_eq!(ms(999.95), "1,000.0");
        assert_eq!(ms(1234567.25), "1,234,567.2");
        assert_eq!(ms(-1500.0), "-1,500.0");
        assert_eq!(ms(0.05), "0.1");
    }

    #[test]
    fn counts_group_by_three_digits() {
        for (n, text) in
            [(0, "0"), (999, "999"), (1000, "1,000"), (230000, "230,000"), (1234567, "1,234,567")]
        {
            assert_eq!(count(n), text);
        }
        // Removing the separators gives the number back, for any size.
        for n in [1u64, 12, 123, 1234, 12345, 123456, 1234567, u64::MAX] {
            assert_eq!(count(n).replace(',', "").parse::<u64>().ok(), Some(n));
        }
    }

    #[test]
    fn bytes_switch_units_at_decimal_thousands() {
        assert_eq!(bytes(999), "999 B");
        assert_eq!(bytes(1000), "1.0 KB");
        assert_eq!(bytes(23_456), "23.5 KB");
        assert_eq!(bytes(1_500_000), "1.5 MB");
        assert_eq!(bytes(2_000_000_000), "2,000.0 MB");
    }

    #[test]
    fn percentages_never_show_negative_zero() {
        assert_eq!(percent(0.455), "45.5%");
        assert_eq!(percent(-0.0001), "0.0%");
        assert_eq!(percent(-0.25), "-25.0%");
    }

    #[test]
    fn table_columns_line_up() {
        let mut t = Table::new(&[("id", Align::Left), ("ms", Align::Right)]);
        t.row(vec!["index.html".into(), "1,200.0".into()]);
        t.row(vec!["a".into(), "0.0".into()]);
        let text = t.render();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3);
        // Right-aligned numbers end in the same column.
        let ends: Vec<usize> = lines.iter().map(|l| l.chars().count()).collect();
        assert!(ends.iter().all(|&e| e == ends[0]), "{text}");
        assert!(lines[1].starts_with("index.html  "));
    }
}
