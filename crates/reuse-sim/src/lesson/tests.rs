//! The shipped lessons hold together (every step runs, asks a question with
//! one answer, stops where it says), their answers are the textbook's
//! closed forms, and a broken file is refused with the field named.

use super::*;
use crate::SimOutput;

fn lesson(id: &str) -> Lesson {
    builtin(id).unwrap_or_else(|| panic!("built-in lesson {id}"))
}

fn truth_of(step: &Step) -> (Scenario, Truth) {
    let (scenario, outputs) = step.simulate().expect("the step runs");
    let runs: Vec<(Protocol, &RunResult)> = outputs.iter().map(|(p, o)| (*p, &o.result)).collect();
    let truth = step.truth(&scenario, &runs).expect("an answer");
    (scenario, truth)
}

fn number(step: &Step) -> f64 {
    match truth_of(step).1 {
        Truth::Number { value, .. } => value,
        other => panic!("a number, got {other:?}"),
    }
}

#[test]
fn every_shipped_lesson_reads_and_every_file_is_listed() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../lessons");
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .expect("lessons/")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".json"))
        .collect();
    files.sort();
    assert_eq!(files.len(), BUILTIN.len(), "every file in lessons/ is in BUILTIN: {files:?}");
    for text in BUILTIN {
        let l = Lesson::from_json(text).unwrap_or_else(|e| panic!("{e}"));
        assert!(files.contains(&format!("{}.json", l.id)), "{} is named after its id", l.id);
    }
    assert!(BUILTIN.len() >= 5, "the issue asks for five lessons at least");
}

#[test]
fn every_step_has_one_answer_stops_where_it_says_and_fills_its_figures() {
    for text in BUILTIN {
        let l = Lesson::from_json(text).expect("reads");
        for (i, step) in l.steps.iter().enumerate() {
            let at = format!("{} step {}", l.id, i + 1);
            let (scenario, outputs) = step.simulate().expect("runs");
            let runs: Vec<(Protocol, &RunResult)> = outputs.iter().map(|(p, o)| (*p, &o.result)).collect();
            match step.truth(&scenario, &runs).expect("truth") {
                Truth::First { winners, .. } => assert_eq!(winners.len(), 1, "{at}: a tie has no one answer"),
                Truth::Number { value, .. } => assert!(value.is_finite() && value >= 0.0, "{at}: {value}"),
            }
            // Nothing in the question gives the answer away.
            assert!(!step.question.contains('{'), "{at}: the question quotes a result");
            let explained = Step::fill(&step.explain, &scenario, &runs).expect("fills");
            assert!(!explained.contains('{') && !explained.contains('}'), "{at}: {explained}");
            for pause in &step.pause_at {
                let seen =
                    outputs.iter().any(|(_, o): &(Protocol, SimOutput)| pause.first_in(&o.trace).is_some());
                assert!(seen, "{at}: no run has a moment \"{}\" to stop at", pause.key());
            }
        }
    }
}

#[test]
fn the_handshake_lesson_answers_are_kurose_and_ross_closed_forms() {
    // Base file + N = 10 objects, one connection at a time (K&R §2.2.3).
    let n = 10.0;
    let l = lesson("handshake");
    // Non-persistent: 2 round trips per object, 2(N + 1).
    assert_eq!(number(&l.steps[0]), 2.0 * (n + 1.0));
    // Persistent without pipelining: 2 for the base file, 1 per object.
    assert_eq!(number(&l.steps[1]), 2.0 + n);
    // TLS 1.2 adds 2 round trips to each connection's handshake (RFC 5246): 4(N + 1).
    assert_eq!(number(&l.steps[2]), 4.0 * (n + 1.0));
}

#[test]
fn the_tls_and_quic_lesson_counts_handshake_round_trips() {
    let n = 10.0;
    let l = lesson("tls-and-quic");
    // One kept-alive connection: TCP 1 + TLS 1.3 1 (RFC 8446) + base 1 + N.
    assert_eq!(number(&l.steps[0]), 3.0 + n);
    // TLS 1.2's full handshake is 2 round trips (RFC 5246): one more.
    assert_eq!(number(&l.steps[1]), 4.0 + n);
    // QUIC: transport and TLS 1.3 in one round trip (RFC 9001), plus the
    // handshake bytes' time on a 2.5 Mbit/s uplink: 1, to a tenth.
    assert!((number(&l.steps[2]) - 1.0).abs() < 0.1, "{}", number(&l.steps[2]));
    // Above 3 × the client's 1,200-byte Initial the server waits a round
    // trip for the client's next datagram (RFC 9000 §8.1).
    let (scenario, _) = l.steps[3].scenario().unwrap();
    let limit = 3 * scenario.quic.max_datagram_size_bytes;
    assert!(scenario.tls.certificate_bytes > limit, "the step's certificate is above the limit");
    assert_eq!(number(&l.steps[3]), 2.0);
}

#[test]
fn the_connection_limit_answers_follow_the_queue() {
    let l = lesson("connection-limit");
    // 11 requests want connections, the limit is 6.
    assert_eq!(number(&l.steps[0]), 6.0);
    // P = 2, H = 1: the smallest j with j + (P − 1)(j − H) ≥ N = 10 is 6; (H + 1) + j = 8.
    let j = (1..).find(|&j: &u32| f64::from(j) + f64::from(j.saturating_sub(1)) >= 10.0).unwrap();
    assert_eq!(number(&l.steps[1]), 2.0 + f64::from(j));
    let (_, truth) = truth_of(&l.steps[2]);
    assert!(matches!(truth, Truth::First { ref winners, .. } if winners == &[Protocol::H2]), "{truth:?}");
}

#[test]
fn pipelining_takes_three_round_trips_and_loses_to_http2_behind_slow_responses() {
    let l = lesson("pipelining");
    // K&R: persistent with pipelining, 2 RTT for the base file + 1 for all objects.
    assert_eq!(number(&l.steps[0]), 3.0);
    let (_, truth) = truth_of(&l.steps[1]);
    assert!(matches!(truth, Truth::First { ref winners, .. } if winners == &[Protocol::H2]), "{truth:?}");
}

#[test]
fn loss_turns_the_multiplexing_lesson_around() {
    let l = lesson("multiplexing-loss");
    let winner = |i: usize| match truth_of(&l.steps[i]).1 {
        Truth::First { winners, .. } => winners,
        other => panic!("{other:?}"),
    };
    assert_eq!(winner(0), vec![Protocol::H2]);
    // The lossy-mobile preset's point: six connections beat one under 2 % loss.
    assert_eq!(winner(1), vec![Protocol::Http11]);
    // And QUIC's: a loss holds back only its own stream (RFC 9000 §2.2).
    assert_eq!(winner(2), vec![Protocol::H3]);
}

#[test]
fn the_keepalive_lesson_has_one_race_and_one_connection_with_a_longer_timeout() {
    let l = lesson("keepalive-timeout");
    assert!(number(&l.steps[0]) > 1.0, "the 5 s timeout closes the connection between calls");
    // The api-polling preset is built with one request crossing the server's FIN.
    assert_eq!(number(&l.steps[1]), 1.0);
    assert_eq!(number(&l.steps[2]), 1.0);
}

#[test]
fn a_reply_is_heard_in_its_unit() {
    let count = Truth::Number { value: 6.0, unit: NumberUnit::Count, protocol: Protocol::Http11, label: "x" };
    assert_eq!(count.accepts("6"), Ok(true));
    assert_eq!(count.accepts(" 7 "), Ok(false));
    assert!(count.accepts("six").is_err());
    let rtt = Truth::Number { value: 22.0, unit: NumberUnit::Rtt, protocol: Protocol::Http10, label: "x" };
    assert_eq!(rtt.accepts("22.5"), Ok(true));
    assert_eq!(rtt.accepts("21"), Ok(false));
    let ms = Truth::Number { value: 1000.0, unit: NumberUnit::Ms, protocol: Protocol::Http10, label: "x" };
    assert_eq!(ms.accepts("1,090 ms"), Ok(true));
    assert_eq!(ms.accepts("1,200"), Ok(false));
    let first = Truth::First { winners: vec![Protocol::H2], loads: vec![] };
    assert_eq!(first.accepts("2"), Ok(true));
    assert_eq!(first.accepts("HTTP/2"), Ok(true));
    assert_eq!(first.accepts("1.1"), Ok(false));
    assert_eq!(first.accepts("11"), Ok(false), "the app's choices send link codes");
    assert_eq!(first.accepts("10"), Ok(false));
    assert!(first.accepts("").is_err());
}

#[test]
fn a_broken_lesson_names_the_field() {
    let step = |answer: &str, extra: &str| {
        format!(
            r#"{{"id":"t","title":"T","steps":[{{"link":"?v=1&p=textbook&show=10-11","question":"Q?","answer":{answer},"explain":"E"{extra}}}]}}"#
        )
    };
    let field = |text: String| Lesson::from_json(&text).unwrap_err().field;
    assert_eq!(
        field(step(r#"{"kind":"number","protocol":"1.1","metric":"speed"}"#, "")),
        "steps[0].answer.metric"
    );
    assert_eq!(
        field(step(r#"{"kind":"number","protocol":"2","metric":"packets"}"#, "")),
        "steps[0].answer.protocol"
    );
    assert_eq!(
        field(step(r#"{"kind":"number","protocol":"1.1","metric":"packets","unit":"rtt"}"#, "")),
        "steps[0].answer.unit"
    );
    assert_eq!(field(step(r#"{"kind":"guess"}"#, "")), "steps[0].answer.kind");
    assert!(field(step(r#"{"kind":"first"}"#, r#","pause_at":["nap"]"#)).starts_with("steps[0].pause_at"));
    assert_eq!(field(step(r#"{"kind":"first"}"#, r#","hint":"x""#)), "steps[0].hint");
    let bad_link = step(r#"{"kind":"first"}"#, "").replace("p=textbook", "p=nowhere");
    assert_eq!(field(bad_link), "steps[0].link");
    let quoted = step(r#"{"kind":"first"}"#, "").replace(r#""E""#, r#""{2:page_load_ms}""#);
    assert_eq!(field(quoted), "steps[0].explain", "HTTP/2 is not shown");
    assert_eq!(field(r#"{"id":"t","title":"T","steps":[]}"#.into()), "steps");
    assert_eq!(field(r#"{"id":"a b","title":"T","steps":[]}"#.into()), "id");
}

#[test]
fn figures_are_filled_from_the_runs() {
    let l = lesson("handshake");
    let step = &l.steps[1];
    let (scenario, outputs) = step.simulate().unwrap();
    let runs: Vec<(Protocol, &RunResult)> = outputs.iter().map(|(p, o)| (*p, &o.result)).collect();
    let text = Step::fill(
        "{10:page_load_ms} = {10:page_load_ms/rtt} RTT; {11:connections_opened}",
        &scenario,
        &runs,
    );
    // 2(N + 1) round trips at 100 ms, and one kept-alive connection.
    assert_eq!(text.unwrap(), "2200 ms = 22 RTT; 1");
}
