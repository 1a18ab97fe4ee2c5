"""Static files the portal pages load: stylesheet, a jQuery stand-in and Hanweb's jpage.js.

Real portals load jQuery and Hanweb's `/module/web/jpage/jpage.js`, which renders
the records of the column's `<script type="text/xml">` datastore into the page and
fetches later groups from `dataproxy.jsp`. There is no network here to fetch
them, so these are small stand-ins with the same entry points (`$(fn)`,
`$(selector).jpage({...})`): enough that a browser shows a Hanweb column's items,
live and in replay, only when the scripts were archived with the page.
"""

from __future__ import annotations

from crawler.simulator.server import Portal, Reply

STYLE = """body { font-family: "Noto Sans CJK SC", sans-serif; margin: 0; color: #333; }
.top, .footer { background: #f2f2f2; font-size: 12px; padding: 4px 12px; }
.header { background: #b5121b; color: #fff; padding: 12px; }
.header a { color: #fff; text-decoration: none; }
.list_title { font-size: 20px; font-weight: bold; color: #b5121b; margin: 12px; }
ul.jpage-list li { list-style: square; line-height: 2; border-bottom: 1px dashed #ccc; color: rgb(181, 18, 27); }
ul.jpage-list li a { color: rgb(181, 18, 27); }
ul.jpage-list li span { float: right; color: #888; }
.default_pgBar { margin: 8px 12px; color: #666; }
"""

JQUERY = r"""/* jQuery stand-in (simulated portal): $(fn) on DOM ready, $(selector) with plugins on $.fn */
(function () {
  function find(selector) {
    var id = /^#([\w-]+)$/.exec(selector);  // like jQuery, ids may start with a digit (Hanweb unit ids do)
    return id ? document.getElementById(id[1]) : document.querySelector(selector);
  }
  function Q(selector) { this.el = typeof selector === "string" ? find(selector) : selector; }
  function $(arg) {
    if (typeof arg === "function") {
      if (document.readyState !== "loading") { arg(); } else { document.addEventListener("DOMContentLoaded", arg); }
      return undefined;
    }
    return new Q(arg);
  }
  $.fn = Q.prototype;
  window.$ = window.jQuery = $;
})();
"""

JPAGE = """/* Hanweb jpage stand-in (simulated portal): render the first page of the datastore's records */
$.fn.jpage = function (options) {
  var box = this.el;
  if (!box) { return; }
  var store = box.querySelector("script[type='text/xml']");
  var xml = store ? store.textContent : "";
  var pattern = /<record>\\s*<!\\[CDATA\\[([\\s\\S]*?)\\]\\]>\\s*<\\/record>/g;
  var records = [], match;
  while ((match = pattern.exec(xml)) !== null) { records.push(match[1]); }
  var list = document.createElement("ul");
  list.className = "jpage-list";
  list.innerHTML = records.slice(0, options.perPage || 15).join("");
  box.appendChild(list);
  var bar = document.createElement("div");
  bar.className = "default_pgBar";
  bar.textContent = "共" + options.totalRecord + "条记录 每页" + (options.perPage || 15) + "条";
  box.appendChild(bar);
};
"""

ASSETS = {
    "/css/style.css": ("text/css", STYLE),
    "/js/jquery.min.js": ("application/javascript", JQUERY),
    "/module/web/jpage/jpage.js": ("application/javascript", JPAGE),
}


def serve_assets(portal: Portal) -> None:
    """Serve the shared static files, where the portal's own builder did not."""
    for path, (content_type, text) in ASSETS.items():
        if path not in portal.routes:
            portal.add(path, Reply(body=text.encode(), content_type=content_type))
