"""axe-core in Chromium: what it finds on the open page, plus every ARIA
reference (``aria-labelledby``, ``aria-describedby``…) and ``label for`` that
names an id the page does not have (axe passes a reference list in which one
id of several exists)."""

from tests import checkers

ID_REFERENCES = """() => {
    const names = ['aria-labelledby', 'aria-describedby', 'aria-controls',
        'aria-owns', 'aria-errormessage', 'aria-details', 'aria-activedescendant',
        'aria-flowto', 'for'];
    const found = [];
    for (const name of names) {
        for (const element of document.querySelectorAll(`[${name}]`)) {
            if (name === 'for' && element.localName !== 'label') continue;
            for (const id of element.getAttribute(name).split(/\\s+/).filter(Boolean)) {
                if (!document.getElementById(id)) {
                    found.push(`${name}="${id}" names no element: ${element.outerHTML.slice(0, 160)}`);
                }
            }
        }
    }
    return found;
}"""


def problems(page, exclude=()):
    """axe's violations and the dangling id references on ``page``, as lines.
    ``exclude``: CSS selectors of parts that are not ours (each with its reason)."""
    checkers.require(checkers.missing(checkers.AXE_JS, "axe-core (npm axe-core)"))
    page.add_script_tag(path=str(checkers.AXE_JS))
    context = {"exclude": [[selector] for selector in exclude]} if exclude else None
    result = page.evaluate(
        "async context => await axe.run(context || document, {resultTypes: ['violations']})",
        context,
    )
    found = [
        f"{violation['id']} ({violation['impact']}): {violation['help']}\n"
        + "\n".join(f"    {node['html'][:200]}" for node in violation["nodes"][:5])
        for violation in result["violations"]
    ]
    return found + page.evaluate(ID_REFERENCES)
