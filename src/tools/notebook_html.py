"""Convert executed notebooks to the static site's HTML pages with nbconvert.

Called by src/tools/render.ts; not meant for people. One process converts every page, because
importing nbconvert costs about a second and rendering is meant to be quick.

stdin:  {"templates": DIR, "pages": [{"name": "01-x", "notebook": {...}}]}
stdout: {"pages": ["<div class=\"jp-Cell …", ...]} (the cells only: site/page.ts makes the page)
        or {"error": "..."} with exit 2
"""

import json
import sys

try:
    import nbformat
    from nbconvert import HTMLExporter
except ImportError as e:
    print(f"nbconvert is missing ({e}); install jupyter-nbconvert", file=sys.stderr)
    sys.exit(3)


def convert(job):
    exporter = HTMLExporter(
        extra_template_basedirs=[job["templates"]],
        template_name="micrograd",  # site-templates/micrograd: the lab template's cells, no page around them
    )
    pages = []
    for page in job["pages"]:
        nb = nbformat.from_dict(page["notebook"])
        resources = {"metadata": {"name": page["name"]}}
        body, _ = exporter.from_notebook_node(nb, resources=resources)
        pages.append(body)
    return {"pages": pages}


def main():
    try:
        result, code = convert(json.load(sys.stdin)), 0
    except Exception as e:
        result, code = {"error": f"{type(e).__name__}: {e}"}, 2
    json.dump(result, sys.stdout)
    sys.exit(code)


if __name__ == "__main__":
    main()
