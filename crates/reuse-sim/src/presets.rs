//! Built-in scenarios. (Being filled in: see issue 2.)

use crate::scenario::{RequestSpec, Scenario};

/// A built-in scenario, by id (`reuse-cli run --preset ID`).
pub struct Preset {
    pub id: &'static str,
    pub title: &'static str,
    /// One sentence: what it shows.
    pub summary: &'static str,
    build: fn() -> Scenario,
}

impl Preset {
    pub fn scenario(&self) -> Scenario {
        (self.build)()
    }
}

pub fn all() -> &'static [Preset] {
    &PRESETS
}

pub fn find(id: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.id == id)
}

static PRESETS: [Preset; 1] = [Preset {
    id: "textbook",
    title: "Textbook page: base HTML + 10 images",
    summary: "Kurose & Ross: one base file and ten small objects, RTT 100 ms, infinite bandwidth",
    build: textbook,
}];

fn textbook() -> Scenario {
    let mut requests = vec![RequestSpec::new("index.html", 10_000)];
    for i in 1..=10 {
        requests.push(RequestSpec::new(format!("img{i}.png"), 5_000).after(&["index.html"]));
    }
    let mut s = Scenario::new("Textbook page: base HTML + 10 images", 100.0, requests);
    s.description = "One base file then ten small objects, as in Kurose & Ross.".into();
    s
}
