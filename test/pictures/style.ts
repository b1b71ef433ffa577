/** Discord's dark theme, as plain CSS: system fonts only, nothing fetched. */
export const STYLE = `
*{box-sizing:border-box}
html,body{margin:0;background:#313338;color:#dbdee1;font:16px/1.375 "gg sans","Noto Sans","Helvetica Neue",Helvetica,Arial,sans-serif,"Noto Color Emoji","Apple Color Emoji","Segoe UI Emoji"}
#page{display:inline-block;width:var(--width,720px);padding:12px 0 16px}
.caption{color:#949ba4;font-size:13px;padding:0 16px 8px;border-bottom:1px solid #3f4147;margin-bottom:8px}
.caption b{color:#f2f3f5}
.msg{position:relative;padding:4px 16px 4px 72px;margin-top:14px;min-height:44px}
.msg.ephemeral{background:rgba(88,101,242,.06)}
.avatar{position:absolute;left:16px;top:6px;width:40px;height:40px;border-radius:50%;background:#5865f2;color:#fff;font-weight:600;display:flex;align-items:center;justify-content:center;font-size:18px}
.used{position:relative;color:#949ba4;font-size:14px;margin:0 0 4px;display:flex;align-items:center;gap:4px}
.used::before{content:"";position:absolute;left:-38px;top:9px;width:32px;height:14px;border-left:2px solid #4e5058;border-top:2px solid #4e5058;border-top-left-radius:6px}
.msg.has-used .avatar{top:30px}
.used b{color:#f2f3f5;font-weight:500}.used .cmd{color:#00a8fc}
.head{display:flex;align-items:baseline;gap:6px}
.name{color:#f2f3f5;font-weight:500}
.badge{background:#5865f2;color:#fff;font-size:10px;font-weight:600;padding:1px 4px;border-radius:3px;position:relative;top:-2px}
.time{color:#949ba4;font-size:12px}
.edited{color:#949ba4;font-size:10px}
.content{white-space:normal;word-wrap:break-word}
.md-p{min-height:1.375em}
.md-h{color:#f2f3f5;margin:8px 0 4px;line-height:1.25}.md-h:first-child{margin-top:0}h1.md-h{font-size:24px}h2.md-h{font-size:20px}h3.md-h{font-size:16px}
.subtext{color:#949ba4;font-size:13px}
.subtext .mention,.subtext a{font-size:13px}
blockquote{margin:2px 0;padding:0 8px 0 12px;border-left:4px solid #4e5058;border-radius:4px}
ul,ol{margin:2px 0;padding-left:22px}
code{background:#2b2d31;border:1px solid #1e1f22;border-radius:4px;padding:0 3px;font:14px/1.2 Consolas,"DejaVu Sans Mono","Liberation Mono",monospace}
pre.codeblock{background:#2b2d31;border:1px solid #1e1f22;border-radius:4px;padding:7px;margin:4px 0;white-space:pre-wrap}
pre.codeblock code{border:0;padding:0;background:none}
a{color:#00a8fc;text-decoration:none}
.mention{background:rgba(88,101,242,.3);color:#c9cdfb;border-radius:3px;padding:0 2px;font-weight:500}
.timestamp{background:rgba(78,80,88,.48);border-radius:3px;padding:0 2px}
.spoiler{background:#1e1f22;color:#1e1f22;border-radius:3px}
.embed{display:flex;max-width:520px;margin-top:4px;background:#2b2d31;border-radius:4px;border-left:4px solid #1e1f22}
.embed .inner{padding:8px 16px 16px 12px;flex:1;min-width:0}
.embed .row{display:flex;gap:16px}.embed .row>.body{flex:1;min-width:0}
.embed-author{font-size:14px;font-weight:600;color:#f2f3f5;margin-top:8px}
.embed-title{font-weight:600;color:#f2f3f5;margin-top:8px}
.embed-desc{font-size:14px;margin-top:8px}
.fields{display:grid;grid-template-columns:repeat(12,1fr);gap:8px;margin-top:8px;font-size:14px}
.field-name{font-weight:600;color:#f2f3f5;margin-bottom:2px}
.embed-footer{font-size:12px;color:#949ba4;margin-top:8px}
.embed-image{margin-top:16px}
.media,.thumb{background:#1e1f22;border-radius:8px;color:#949ba4;font-size:12px;display:flex;align-items:center;justify-content:center;text-align:center;overflow:hidden}
.media img,.thumb img{width:100%;height:100%;object-fit:cover;display:block}
.media{min-height:160px;width:100%}
.thumb{width:80px;height:80px;flex:none}
.gallery{display:grid;gap:4px;margin:4px 0;max-width:520px}
.gallery.n1{grid-template-columns:1fr}.gallery.n2,.gallery.n4{grid-template-columns:1fr 1fr}.gallery.many{grid-template-columns:1fr 1fr 1fr}
.gallery .media{min-height:120px}
.gallery .media.caption-only{padding:8px}
.row-actions{display:flex;flex-wrap:wrap;gap:8px;margin-top:8px}
.btn{display:inline-flex;align-items:center;gap:6px;height:32px;min-width:60px;padding:2px 16px;border-radius:8px;font-size:14px;font-weight:500;color:#fff;background:#4e5058;white-space:nowrap;justify-content:center}
.btn.primary{background:#5865f2}.btn.success{background:#248046}.btn.danger{background:#da373c}.btn.premium{background:#8b5cf6}
.btn.disabled{opacity:.5}
.btn .ext{font-size:12px}
.select{display:flex;align-items:center;justify-content:space-between;width:100%;max-width:520px;min-height:40px;padding:8px 12px;border-radius:8px;background:#1e1f22;border:1px solid #1e1f22;color:#949ba4;font-size:14px;margin-top:8px}
.select.chosen{color:#dbdee1}
.select .caret{margin-left:8px}
.select.disabled{opacity:.5}
.container{max-width:560px;margin-top:6px;padding:16px;border-radius:8px;background:#393a41;border:1px solid #43444b;display:flex;flex-direction:column;gap:8px}
.container.accent{border-left:4px solid var(--accent)}
.container .row-actions{margin-top:0}.container .select{margin-top:0}
.v2>*+*{margin-top:8px}
.section{display:flex;gap:12px;align-items:flex-start}.section>.texts{flex:1;min-width:0;display:flex;flex-direction:column;gap:8px}
.section>.accessory{flex:none}
.sep{height:0}.sep.line{border-top:1px solid #4e5058}.sep.large{margin:8px 0}
.file{display:flex;align-items:center;gap:10px;max-width:432px;padding:12px;background:#2b2d31;border:1px solid #1e1f22;border-radius:8px;margin-top:4px}
.file .icon{font-size:26px}.file .fname{color:#00a8fc;font-size:15px}.file .fsize{color:#949ba4;font-size:12px}
.only-you{font-size:12px;color:#949ba4;margin-top:4px}.only-you a{color:#00a8fc}
.loading{color:#949ba4;font-style:italic}
.unknown{color:#949ba4;font-size:12px;border:1px dashed #4e5058;border-radius:4px;padding:4px}
.modal{width:480px;margin:16px auto;background:#313338;border-radius:12px;box-shadow:0 0 0 1px #1e1f22,0 8px 24px rgba(0,0,0,.5);overflow:hidden}
.modal-scrim{background:rgba(0,0,0,.7);padding:24px 16px}
.modal-head{display:flex;align-items:center;gap:10px;padding:16px 16px 8px;font-size:20px;font-weight:600;color:#f2f3f5}
.modal-head .avatar{position:static;width:24px;height:24px;font-size:12px}
.modal-body{padding:8px 16px;display:flex;flex-direction:column;gap:16px}
.label{font-size:15px;font-weight:600;color:#f2f3f5}.label .req{color:#f23f43}
.label-desc{font-size:13px;color:#b5bac1;margin-top:2px}
.input{margin-top:8px;background:#1e1f22;border-radius:8px;padding:10px;min-height:40px;font-size:15px;color:#dbdee1;white-space:pre-wrap}
.input.placeholder{color:#6d6f78}.input.paragraph{min-height:84px}
.checks{margin-top:8px;display:flex;flex-direction:column;gap:8px;font-size:15px}
.check{display:flex;gap:8px;align-items:center}
.box{width:20px;height:20px;border-radius:6px;border:1px solid #6d6f78;display:inline-flex;align-items:center;justify-content:center;font-size:14px;color:#fff}
.box.on{background:#5865f2;border-color:#5865f2}.box.radio{border-radius:50%}
.modal-foot{display:flex;justify-content:flex-end;gap:8px;padding:16px;background:#2b2d31;margin-top:8px}
.modal-foot .cancel{background:none}
`;
