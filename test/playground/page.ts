/**
 * The playground's page: a Discord-like channel view. Messages arrive rendered (test/pictures/render.ts,
 * server-side) over the event stream; the script (APP_JS, plain browser JavaScript) handles the member
 * and channel switchers, the composer and its suggestions, buttons, menus, modals and the clock.
 * Nothing is loaded from elsewhere (see the Content-Security-Policy).
 */
import { STYLE } from '../pictures/style.js';

const LAYOUT = `
html,body{height:100%}
body{display:flex;overflow:hidden}
#side{width:240px;background:#2b2d31;display:flex;flex-direction:column;flex-shrink:0}
#side h1{font-size:16px;color:#f2f3f5;margin:0;padding:14px 16px;border-bottom:1px solid #1e1f22}
#channels{padding:8px}
.chan{display:block;width:100%;text-align:left;background:none;border:0;color:#949ba4;font:inherit;padding:6px 8px;border-radius:4px;cursor:pointer}
.chan.thread{padding-left:22px;font-size:14px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.chan:hover{background:#35373c;color:#dbdee1}.chan.on{background:#404249;color:#f2f3f5}
#who{margin-top:auto;background:#232428;padding:10px 8px;font-size:13px}
#who label{display:block;color:#949ba4;margin-bottom:4px}
#who select,#clock button{background:#1e1f22;color:#dbdee1;border:0;border-radius:4px;padding:6px;font:inherit;width:100%}
#whoabout{color:#949ba4;margin-top:4px}
#clock{padding:8px;border-top:1px solid #1e1f22;font-size:13px}
#clocknow{color:#f2f3f5;margin-bottom:6px}
#clock .row{display:flex;gap:4px}#clock button{cursor:pointer}#clock button:hover{background:#404249}
#main{flex:1;display:flex;flex-direction:column;min-width:0}
#top{padding:12px 16px;border-bottom:1px solid #1e1f22;color:#f2f3f5;font-weight:600}
#messages{flex:1;overflow-y:auto;padding-bottom:16px}
#messages .msg{max-width:900px}
.btn[data-custom-id]:not(.disabled),.select[data-custom-id]:not(.disabled),.only-you a{cursor:pointer}
.btn[data-custom-id]:not(.disabled):hover{filter:brightness(1.15)}
#messages .entry.linked>.msg{background:rgba(250,168,26,.08)}
#composer{position:relative;margin:0 16px 20px}
#line{width:100%;background:#383a40;border:0;border-radius:8px;color:#dbdee1;font:inherit;padding:11px 16px;outline:none}
#error{color:#f23f42;font-size:13px;min-height:18px;padding:2px 4px}
#suggest{position:absolute;bottom:100%;left:0;right:0;background:#2b2d31;border-radius:8px 8px 0 0;max-height:260px;overflow-y:auto;display:none;box-shadow:0 -4px 12px rgba(0,0,0,.3)}
#suggest .s{padding:8px 14px;cursor:pointer;display:flex;gap:10px;align-items:baseline}
#suggest .s.on,#suggest .s:hover{background:#404249}
#suggest .s b{color:#f2f3f5;font-weight:500}#suggest .s span{color:#949ba4;font-size:13px}
#menu{position:fixed;background:#2b2d31;border:1px solid #1e1f22;border-radius:4px;min-width:260px;max-height:320px;overflow-y:auto;display:none;z-index:5}
#menu .o{padding:8px 12px;cursor:pointer}#menu .o:hover{background:#404249}
#menu .o small{display:block;color:#949ba4}
#menu .apply{margin:8px 12px}
#modal{position:fixed;inset:0;background:rgba(0,0,0,.7);display:none;align-items:center;justify-content:center;z-index:10}
#modal form{background:#313338;border-radius:8px;width:460px;max-height:90vh;overflow-y:auto;padding:16px}
#modal h2{margin:0 0 12px;font-size:20px;color:#f2f3f5}
#modal .f{margin-bottom:14px}#modal .f>div:first-child{font-size:12px;font-weight:700;text-transform:uppercase;color:#b5bac1;margin-bottom:6px}
#modal input[type=text],#modal textarea{width:100%;background:#1e1f22;border:0;border-radius:4px;color:#dbdee1;font:inherit;padding:9px}
#modal textarea{min-height:80px}
#modal .foot{display:flex;justify-content:flex-end;gap:8px;margin-top:8px}
#modal .foot button{border:0;border-radius:4px;padding:8px 16px;font:inherit;cursor:pointer;color:#fff;background:#5865f2}
#modal .foot button.cancel{background:none;color:#dbdee1}
`;

export function pageHtml(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self'; connect-src 'self'; img-src data:; style-src 'unsafe-inline'">
<title>tamasha playground</title><style>${STYLE}${LAYOUT}</style></head>
<body>
<nav id="side"><h1>Tamasha Playground</h1><div id="channels"></div>
<div id="clock"><div id="clocknow"></div><div class="row"><button data-forward="600000">+10 min</button><button data-forward="3600000">+1 h</button><button data-forward="86400000">+1 day</button></div></div>
<div id="who"><label for="member">You are</label><select id="member"></select><div id="whoabout"></div></div></nav>
<main id="main"><div id="top"></div><div id="messages"></div>
<div id="composer"><div id="suggest"></div><input id="line" autocomplete="off" placeholder="Type / for tamasha's commands"><div id="error"></div></div></main>
<div id="menu"></div><div id="modal"></div>
<script src="/app.js"></script></body></html>
`;
}

export const APP_JS = String.raw`
'use strict';
const $ = (id) => document.getElementById(id);
const state = { member: '', channel: '', members: [], channels: [], messages: new Map(), dismissed: new Set(), events: null, suggestions: [], picked: 0, seq: 0 };
window.playground = state;

async function api(path, body) {
  const res = await fetch(path, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const data = await res.json();
  if (!res.ok || data.error) throw new Error(data.error || res.statusText);
  return data;
}
const esc = (t) => String(t).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
function showError(e) { $('error').textContent = e ? (e.message || String(e)) : ''; }

function renderChannels() {
  const mine = state.channels.filter((c) => c.members.includes(state.member));
  if (!mine.some((c) => c.id === state.channel)) state.channel = mine[0].id;
  const sign = (c) => (c.parentId ? '🧵 ' : c.private ? '🔒 ' : '# ');
  $('channels').innerHTML = mine.map((c) => '<button class="chan' + (c.parentId ? ' thread' : '') + (c.id === state.channel ? ' on' : '') + '" data-channel="' + c.id + '">' + sign(c) + esc(c.name) + '</button>').join('');
  const c = state.channels.find((x) => x.id === state.channel);
  $('top').textContent = sign(c) + c.name;
}

function connect() {
  if (state.events) state.events.close();
  state.messages.clear();
  $('messages').innerHTML = '';
  const es = new EventSource('/api/events?member=' + encodeURIComponent(state.member) + '&channel=' + encodeURIComponent(state.channel));
  state.events = es;
  es.addEventListener('message', (ev) => {
    const m = JSON.parse(ev.data);
    if (state.dismissed.has(m.id)) return;
    const box = $('messages');
    const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 80;
    let el = document.getElementById('m' + m.id);
    if (!el) { el = document.createElement('div'); el.id = 'm' + m.id; el.className = 'entry'; box.appendChild(el); }
    el.innerHTML = m.html;
    state.messages.set(m.id, m);
    state.seq++;
    if (atBottom) box.scrollTop = box.scrollHeight;
  });
  es.addEventListener('channels', (ev) => { state.channels = JSON.parse(ev.data); renderChannels(); });
  es.addEventListener('remove', (ev) => { const { id } = JSON.parse(ev.data); document.getElementById('m' + id)?.remove(); state.messages.delete(id); state.seq++; });
  es.addEventListener('clock', (ev) => { const { now } = JSON.parse(ev.data); state.now = now; $('clocknow').textContent = '🕒 ' + new Date(now).toUTCString().replace(' GMT', ' UTC'); });
}

async function act(path, body) {
  showError();
  try {
    const out = await api(path, Object.assign({ member: state.member, channel: state.channel }, body));
    if (out.modal) openModal(out.modal);
    return out;
  } catch (e) { showError(e); }
}

// Suggestions and the composer.
let asking = 0;
async function suggest() {
  const line = $('line').value;
  const mine = ++asking;
  if (!line.startsWith('/')) return showSuggestions([]);
  try {
    const out = await api('/api/suggest', { member: state.member, channel: state.channel, line });
    if (mine === asking) showSuggestions(out.suggestions);
  } catch (e) { if (mine === asking) showSuggestions([]); }
}
function showSuggestions(list) {
  state.suggestions = list; state.picked = 0;
  const box = $('suggest');
  box.style.display = list.length ? 'block' : 'none';
  box.innerHTML = list.map((s, i) => '<div class="s' + (i === 0 ? ' on' : '') + '" data-i="' + i + '"><b>' + esc(s.label) + '</b><span>' + esc(s.description || '') + '</span></div>').join('');
}
function pick(i) {
  const s = state.suggestions[i];
  if (!s) return;
  $('line').value = s.line;
  $('line').focus();
  void suggest();
}
$('line').addEventListener('input', () => { showError(); void suggest(); });
$('line').addEventListener('keydown', async (ev) => {
  const open = state.suggestions.length > 0;
  if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
    if (!open) return;
    ev.preventDefault();
    state.picked = (state.picked + (ev.key === 'ArrowDown' ? 1 : state.suggestions.length - 1)) % state.suggestions.length;
    [...$('suggest').children].forEach((el, i) => el.classList.toggle('on', i === state.picked));
  } else if (ev.key === 'Tab' && open) {
    ev.preventDefault(); pick(state.picked);
  } else if (ev.key === 'Escape') {
    showSuggestions([]);
  } else if (ev.key === 'Enter') {
    ev.preventDefault();
    const line = $('line').value.trim();
    if (!line) return;
    if (!line.startsWith('/')) return showError(new Error('tamasha answers slash commands: type / to see them'));
    asking++; showSuggestions([]);
    const out = await act('/api/run', { line });
    if (out) $('line').value = '';
  }
});
$('suggest').addEventListener('mousedown', (ev) => { const el = ev.target.closest('.s'); if (el) { ev.preventDefault(); pick(Number(el.dataset.i)); } });

// Buttons and menus on messages.
function controlOf(el) {
  const entry = el.closest('.entry');
  const m = entry && state.messages.get(entry.id.slice(1));
  const c = m && m.controls.find((x) => x.custom_id === el.dataset.customId);
  return m && c ? { m, c } : undefined;
}
$('messages').addEventListener('click', (ev) => {
  const dismiss = ev.target.closest('.only-you a');
  if (dismiss) { const entry = dismiss.closest('.entry'); state.dismissed.add(entry.id.slice(1)); entry.remove(); return; }
  const link = ev.target.closest('.btn[data-url]');
  if (link) return void openLink(link.dataset.url);
  const el = ev.target.closest('[data-custom-id]');
  if (!el || el.classList.contains('disabled')) return;
  const found = controlOf(el);
  if (!found) return;
  if (found.c.type === 2) void act('/api/click', { message: found.m.id, customId: found.c.custom_id });
  else openMenu(el, found.m, found.c);
});
// A link to a message of this server (Open poll) opens its channel and shows the message.
function openLink(url) {
  const m = /\/channels\/\d+\/(\d+)\/(\d+)/.exec(url);
  const channel = m && state.channels.find((c) => c.id === m[1] && c.members.includes(state.member));
  if (!channel) return showError(new Error('The playground opens only links to messages of this server: ' + url));
  if (state.channel !== channel.id) { state.channel = channel.id; renderChannels(); connect(); }
  const show = (tries) => { const el = document.getElementById('m' + m[2]); if (el) { el.scrollIntoView({ block: 'center' }); el.classList.add('linked'); } else if (tries > 0) setTimeout(() => show(tries - 1), 100); };
  show(30);
}
function openMenu(el, m, c) {
  const menu = $('menu');
  const max = c.max_values || 1;
  const options = c.options || [];
  menu.innerHTML = options.map((o) => '<div class="o" data-value="' + esc(o.value) + '">' + (max > 1 ? '<input type="checkbox"> ' : '') + esc(o.label) + (o.description ? '<small>' + esc(o.description) + '</small>' : '') + '</div>').join('') + (max > 1 ? '<button class="apply">Apply</button>' : '');
  const r = el.getBoundingClientRect();
  menu.style.left = r.left + 'px'; menu.style.top = (r.bottom + 4) + 'px'; menu.style.display = 'block';
  menu.onclick = (ev) => {
    if (max > 1 && !ev.target.closest('.apply')) { const o = ev.target.closest('.o'); if (o && ev.target.tagName !== 'INPUT') { const box = o.querySelector('input'); box.checked = !box.checked; } return; }
    const values = max > 1 ? [...menu.querySelectorAll('.o')].filter((o) => o.querySelector('input').checked).map((o) => o.dataset.value) : [ev.target.closest('.o')?.dataset.value].filter(Boolean);
    if (values.length === 0) return;
    menu.style.display = 'none';
    void act('/api/select', { message: m.id, customId: c.custom_id, values });
  };
}
document.addEventListener('mousedown', (ev) => { if (!ev.target.closest('#menu')) $('menu').style.display = 'none'; });

// Modals: each field as an input the member can fill in.
function field(c) {
  const id = esc(c.custom_id || '');
  if (c.type === 4) return c.style === 2 ? '<textarea name="' + id + '" placeholder="' + esc(c.placeholder || '') + '">' + esc(c.value || '') + '</textarea>' : '<input type="text" name="' + id + '" value="' + esc(c.value || '') + '" placeholder="' + esc(c.placeholder || '') + '">';
  if (c.type === 3 || c.type === 21 || c.type === 22) {
    const kind = c.type === 21 || (c.type === 3 && (c.max_values || 1) === 1) ? 'radio' : 'checkbox';
    return (c.options || []).map((o) => '<label style="display:block"><input type="' + kind + '" name="' + id + '" value="' + esc(o.value) + '"' + (o.default ? ' checked' : '') + '> ' + esc(o.label) + '</label>').join('');
  }
  if (c.type === 23) return '<input type="checkbox" name="' + id + '"' + (c.default ? ' checked' : '') + ' data-single="1">';
  return '';
}
function openModal(modal) {
  const d = modal.data;
  const parts = (d.components || []).map((top) => {
    if (top.type === 18 && top.component) return '<div class="f"><div>' + esc(top.label || '') + '</div>' + (top.description ? '<small>' + esc(top.description) + '</small>' : '') + field(top.component) + '</div>';
    if (top.type === 1) return (top.components || []).map((c) => '<div class="f"><div>' + esc(c.label || '') + '</div>' + field(c) + '</div>').join('');
    if (top.type === 10) return '<div class="f">' + esc(top.content || '') + '</div>';
    return '';
  });
  const box = $('modal');
  box.innerHTML = '<form><h2>' + esc(d.title || '') + '</h2>' + parts.join('') + '<div class="foot"><button type="button" class="cancel">Cancel</button><button type="submit">Submit</button></div></form>';
  box.style.display = 'flex';
  box.querySelector('.cancel').onclick = () => { box.style.display = 'none'; };
  box.querySelector('form').onsubmit = async (ev) => {
    ev.preventDefault();
    const values = {};
    for (const el of box.querySelectorAll('input,textarea')) {
      if (el.type === 'checkbox' && el.dataset.single) values[el.name] = el.checked;
      else if (el.type === 'checkbox' || el.type === 'radio') { values[el.name] = values[el.name] || []; if (el.checked) values[el.name].push(el.value); }
      else values[el.name] = el.value;
    }
    box.style.display = 'none';
    await act('/api/modal', { id: modal.id, values });
  };
}

// Switchers and the clock.
$('channels').addEventListener('click', (ev) => { const b = ev.target.closest('[data-channel]'); if (b) { state.channel = b.dataset.channel; renderChannels(); connect(); } });
$('member').addEventListener('change', () => { state.member = $('member').value; $('whoabout').textContent = state.members.find((m) => m.key === state.member).about; renderChannels(); connect(); });
$('clock').addEventListener('click', async (ev) => {
  const b = ev.target.closest('[data-forward]');
  if (!b) return;
  b.disabled = true;
  try { await api('/api/clock', { forward: Number(b.dataset.forward) }); } catch (e) { showError(e); }
  b.disabled = false;
});

(async () => {
  const s = await api('/api/state');
  state.members = s.members; state.channels = s.channels; state.commands = s.commands;
  state.member = s.members[0].key; state.channel = s.channels[0].id;
  $('member').innerHTML = s.members.map((m) => '<option value="' + esc(m.key) + '">' + esc(m.name) + '</option>').join('');
  $('whoabout').textContent = s.members[0].about;
  renderChannels();
  connect();
  document.body.dataset.ready = '1';
})();
`;
