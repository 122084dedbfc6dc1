use reuse_sim::trace::ConnId;
use reuse_sim::Protocol;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::Dispatch;
use crate::state::{Action, Shown};

/// The ladder's connection picker (built in a memo so that playback, which
/// re-renders the ladder every frame, does not rebuild the options).
pub fn ladder_picker(shown: &Shown, selected: Option<(Protocol, ConnId)>, dispatch: &Dispatch) -> Html {
    let on_pick = {
        let d = dispatch.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            let mut parts = v.split(' ');
            let p = parts.next().and_then(|p| Protocol::parse(p).ok());
            let c = parts.next().and_then(|c| c.parse().ok());
            if let (Some(p), Some(c)) = (p, c) {
                d.dispatch(Action::SelectConnection(p, c));
            }
        })
    };
    let options = shown.runs().flat_map(|run| {
        run.connections.iter().map(move |c| {
            let value = format!("{} {}", run.protocol.as_str(), c.id);
            let selected = Some((run.protocol, c.id)) == selected;
            html! {
                <option value={value} {selected}>
                    { format!("{} · connection #{} · {} · {} packets", run.protocol.label(), c.id, c.host, c.packets.len()) }
                </option>
            }
        })
    });
    html! {
        <label class="ladder-pick">{ "Connection " }
            <select onchange={on_pick} data-testid="ladder-connection">{ for options }</select>
        </label>
    }
}
