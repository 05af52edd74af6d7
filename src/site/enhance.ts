/**
 * What JavaScript adds to a page that reads completely without it: the light/dark toggle, a copy
 * button on every code cell, search across all lessons (its index loads on first use; results
 * show a snippet with the match marked, and arrow keys move through them), and the contents'
 * mark of the section the reader is in.
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
    // The word is only hidden visually on a phone: the button keeps its name.
    const icon = document.createElement("span");
    icon.setAttribute("aria-hidden", "true");
    icon.textContent = dark ? "☀" : "☾";
    const word = document.createElement("span");
    word.className = "label-word";
    word.textContent = dark ? "Light" : "Dark";
    toggle.replaceChildren(icon, " ", word);
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
    text: string;
    /** The query's terms as they occur in the document (MiniSearch: what each matched). */
    terms: string[];
    score: number;
  }
  interface SearchIndex {
    search(query: string, options?: object): Hit[];
  }
  interface Win {
    MiniSearch?: { loadJS(json: unknown, options: object): SearchIndex };
    micrograd_search_index?: { options: object; index: unknown };
  }
  const box = document.querySelector<HTMLElement>(".site-search");
  const opener = document.querySelector<HTMLButtonElement>(".search-open");
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

  /** About 160 characters of `text` around the first of `terms`, each occurrence marked. Text nodes only: nothing in the index becomes HTML. */
  const snippet = (text: string, terms: string[]): HTMLElement => {
    const p = document.createElement("span");
    p.className = "search-snippet";
    const lower = text.toLowerCase();
    const words = [...new Set(terms.map((t) => t.toLowerCase()).filter(Boolean))].sort((a, b) => b.length - a.length);
    const at = Math.min(...words.map((w) => lower.indexOf(w)).filter((i) => i >= 0), text.length);
    const from = at === text.length ? 0 : Math.max(0, text.lastIndexOf(" ", Math.max(0, at - 60)) + 1);
    let to = Math.min(text.length, from + 160);
    if (to < text.length) to = Math.max(text.lastIndexOf(" ", to), at + 1);
    const part = text.slice(from, to);
    const pattern = words.length ? new RegExp(words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "gi") : null;
    if (from > 0) p.append("… ");
    let last = 0;
    for (const m of pattern ? part.matchAll(pattern) : []) {
      p.append(part.slice(last, m.index));
      const mark = document.createElement("mark");
      mark.textContent = m[0];
      p.append(mark);
      last = m.index! + m[0].length;
    }
    p.append(part.slice(last));
    if (to < text.length) p.append(" …");
    return p;
  };
  /**
   * Results grouped by lesson, the lesson with the most matching text first (the sum of its
   * sections' scores), each lesson's sections best first. Ranked by section alone, a short section
   * that names the term once (a review's heading) would come before the lesson that teaches it.
   */
  const byLesson = (hits: Hit[]): Hit[] => {
    const total = new Map<string, number>();
    for (const h of hits) total.set(h.page, (total.get(h.page) ?? 0) + h.score);
    return [...hits].sort((a, b) => total.get(b.page)! - total.get(a.page)! || b.score - a.score);
  };
  const results = (): HTMLAnchorElement[] => [...(list?.querySelectorAll<HTMLAnchorElement>("a") ?? [])];
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
      hits = byLesson((await loadIndex()).search(query, { prefix: true, fuzzy: 0.2, combineWith: "AND", boost: { section: 2, lesson: 2 } }));
    } catch (e) {
      status.textContent = `Search is unavailable: ${(e as Error).message}`;
      return;
    }
    if (input.value.trim() !== query) return; // a newer query is on its way
    const lessons = new Set(hits.map((h) => h.page)).size;
    status.textContent =
      hits.length === 0
        ? `No results for “${query}”`
        : `${hits.length} section${hits.length === 1 ? "" : "s"} in ${lessons} lesson${lessons === 1 ? "" : "s"}${hits.length > 1 ? " · ↓ ↑ to move, Enter to open" : ""}`;
    for (const hit of hits) {
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.href = hit.page + (hit.anchor ? `#${hit.anchor}` : "");
      const title = document.createElement("span");
      title.className = "search-title";
      title.textContent = hit.section && hit.section !== hit.lesson ? `${hit.lesson} › ${hit.section}` : hit.lesson;
      a.append(title, snippet(hit.text ?? "", hit.terms ?? []));
      li.appendChild(a);
      list.appendChild(li);
    }
  };
  if (box && input) {
    box.hidden = false;
    input.addEventListener("focus", () => void loadIndex().catch(() => {}), { once: true });
    input.addEventListener("input", () => void render());
    // Arrow keys move through the results (and back up to the box); Enter opens; Escape clears.
    box.addEventListener("keydown", (e) => {
      const links = results();
      const at = links.indexOf(document.activeElement as HTMLAnchorElement);
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        if (links.length === 0) return;
        e.preventDefault();
        const next = e.key === "ArrowDown" ? Math.min(at + 1, links.length - 1) : at - 1;
        (next < 0 ? input : links[next]!).focus();
      } else if (e.key === "Enter" && document.activeElement === input) {
        links[0]?.click();
        e.preventDefault();
      } else if (e.key === "Escape") {
        input.value = "";
        void render();
        input.focus();
      }
    });
    // On a phone the box opens from a button, so the lesson's title is not pushed down.
    if (opener) {
      opener.hidden = false;
      opener.addEventListener("click", () => {
        const open = !box.classList.contains("open");
        box.classList.toggle("open", open);
        opener.setAttribute("aria-expanded", String(open));
        if (open) input.focus();
      });
    }
  }

  // ---- where the reader is: the section under the top of the window, marked in both contents ----
  const headings = [...document.querySelectorAll<HTMLElement>("main h2[id]")];
  const tocLinks = [...document.querySelectorAll<HTMLAnchorElement>('.page-toc a[href^="#"], .site-toc li ol a[href^="#"]')];
  if (headings.length > 0 && tocLinks.length > 0) {
    let current: string | undefined;
    let queued = false;
    const mark = () => {
      queued = false;
      const line = Math.min(160, window.innerHeight / 3);
      let here: string | undefined;
      for (const h of headings) {
        if (h.getBoundingClientRect().top <= line) here = h.id;
        else break;
      }
      if (here === current) return;
      current = here;
      for (const a of tocLinks) {
        if (here !== undefined && a.getAttribute("href") === `#${here}`) a.setAttribute("aria-current", "location");
        else a.removeAttribute("aria-current");
      }
    };
    const later = () => {
      if (!queued) {
        queued = true;
        requestAnimationFrame(mark);
      }
    };
    addEventListener("scroll", later, { passive: true });
    addEventListener("resize", later);
    mark();
  }
}
