/**
 * What JavaScript adds to a page that reads completely without it: the light/dark toggle, a copy
 * button on every code cell, and search across all lessons (its index loads on first use).
 * Plain script (no modules), so it works from file:// and under the site's Content-Security-Policy.
 */
{
  const root = document.documentElement;
  const assets = (document.querySelector<HTMLScriptElement>('script[src$="assets/enhance.js"]')?.getAttribute("src") ?? "assets/enhance.js").replace(/enhance\.js$/, "");

  // ---- light / dark ----
  const toggle = document.querySelector<HTMLButtonElement>(".theme-toggle");
  const systemDark = window.matchMedia("(prefers-color-scheme: dark)");
  const effective = (): "light" | "dark" => (root.dataset.theme === "light" || root.dataset.theme === "dark" ? root.dataset.theme : systemDark.matches ? "dark" : "light");
  const showTheme = () => {
    if (!toggle) return;
    const dark = effective() === "dark";
    toggle.setAttribute("aria-pressed", String(dark));
    toggle.textContent = dark ? "☀ Light" : "☾ Dark";
    toggle.title = dark ? "Switch to light mode" : "Switch to dark mode";
  };
  if (toggle) {
    toggle.hidden = false;
    toggle.addEventListener("click", () => {
      const next = effective() === "dark" ? "light" : "dark";
      root.dataset.theme = next;
      try {
        localStorage.setItem("micrograd-theme", next);
      } catch {
        // not remembered, but still switched
      }
      showTheme();
    });
    systemDark.addEventListener("change", showTheme);
    showTheme();
  }

  // ---- copy buttons ----
  for (const area of document.querySelectorAll<HTMLElement>(".jp-CodeCell .jp-InputArea")) {
    const pre = area.querySelector("pre");
    if (!pre) continue;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "copy-button";
    button.textContent = "Copy";
    button.setAttribute("aria-label", "Copy this code");
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(pre.textContent ?? "");
        button.textContent = "Copied";
      } catch {
        // Clipboard refused (e.g. file://): select the code so Ctrl-C copies it.
        const range = document.createRange();
        range.selectNodeContents(pre);
        getSelection()?.removeAllRanges();
        getSelection()?.addRange(range);
        button.textContent = "Press Ctrl-C";
      }
      setTimeout(() => (button.textContent = "Copy"), 1500);
    });
    area.appendChild(button);
  }

  // ---- search ----
  interface Hit {
    id: string;
    page: string;
    anchor: string;
    lesson: string;
    section: string;
  }
  interface SearchIndex {
    search(query: string, options?: object): Hit[];
  }
  interface Win {
    MiniSearch?: { loadJS(json: unknown, options: object): SearchIndex };
    micrograd_search_index?: { options: object; index: unknown };
  }
  const box = document.querySelector<HTMLElement>(".site-search");
  const input = box?.querySelector<HTMLInputElement>("input");
  const list = box?.querySelector<HTMLElement>(".search-results");
  const status = box?.querySelector<HTMLElement>(".search-status");
  let index: Promise<SearchIndex> | undefined;
  const load = (file: string) =>
    new Promise<void>((resolve, reject) => {
      const script = document.createElement("script");
      script.src = assets + file;
      script.onload = () => resolve();
      script.onerror = () => reject(new Error(`could not load ${file}`));
      document.head.appendChild(script);
    });
  const loadIndex = (): Promise<SearchIndex> =>
    (index ??= Promise.all([load("minisearch.js"), load("search-index.js")]).then(() => {
      const w = window as unknown as Win;
      return w.MiniSearch!.loadJS(w.micrograd_search_index!.index, w.micrograd_search_index!.options);
    }));
  const render = async () => {
    if (!input || !list || !status) return;
    const query = input.value.trim();
    list.replaceChildren();
    if (query.length < 2) {
      status.textContent = "";
      return;
    }
    let hits: Hit[];
    try {
      hits = (await loadIndex()).search(query, { prefix: true, fuzzy: 0.2, boost: { section: 2, lesson: 2 } }).slice(0, 8);
    } catch (e) {
      status.textContent = `Search is unavailable: ${(e as Error).message}`;
      return;
    }
    if (input.value.trim() !== query) return; // a newer query is on its way
    status.textContent = hits.length === 0 ? `No results for “${query}”` : `${hits.length} result${hits.length === 1 ? "" : "s"}`;
    for (const hit of hits) {
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.href = hit.page + (hit.anchor ? `#${hit.anchor}` : "");
      a.textContent = hit.section && hit.section !== hit.lesson ? `${hit.lesson} › ${hit.section}` : hit.lesson;
      li.appendChild(a);
      list.appendChild(li);
    }
  };
  if (box && input) {
    box.hidden = false;
    input.addEventListener("focus", () => void loadIndex().catch(() => {}), { once: true });
    input.addEventListener("input", () => void render());
    input.addEventListener("keydown", (e) => {
      if (e.key === "Enter") {
        const first = list?.querySelector("a");
        if (first) first.click();
        e.preventDefault();
      } else if (e.key === "Escape") {
        input.value = "";
        void render();
      }
    });
  }
}
