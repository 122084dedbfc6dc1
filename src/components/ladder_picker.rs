use crate::view_model::Column;
use reuse_sim::trace::ConnId;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::Dispatch;
use crate::state::{Action, Shown};

/// The ladder's connection picker (built in a memo so that playback, which
/// re-renders the ladder every frame, does not rebuild the options).
pub fn ladder_picker(shown: &Shown, selected: Option<(Column, ConnId)>, dispatch: &Dispatch) -> Html {
    let on_pick = {
        let d = dispatch.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            let mut parts = v.split(' ');
            let p = parts.next().and_then(Column::parse_key);
            let c = parts.next().and_then(|c| c.parse().ok());
            if let (Some(p), Some(c)) = (p, c) {
                d.dispatch(Action::SelectConnection(p, c));
            }
        })
    };
    let options = shown.runs().flat_map(|run| {
        run.connections.iter().map(move |c| {
            let value = format!("{} {}", run.column.key(), c.id);
            let selected = Some((run.column, c.id)) == selected;
            html! {
                <option value={value} {selected}>
                    { format!("{} · connection #{} · {} · {} packets", run.label, c.id, c.host, c.packets.len()) }
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
