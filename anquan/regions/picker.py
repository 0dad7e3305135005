"""The region picker: cascading selects from the user's own region down, never above it."""

from anquan.regions.models import Region


def picker_context(user, name: str, code: str | None, empty: bool = False) -> dict:
    """`empty`: the field may stay unset (its hidden value is "" until the user picks a region)."""
    root = user.region
    selected = Region.objects.filter(code=code).select_related("parent").first() if code else None
    unset = empty and (selected is None or not selected.code.startswith(root.prefix))
    if selected is None or not selected.code.startswith(root.prefix):
        selected = root
    chain = [r for r in selected.ancestors() if r.code.startswith(root.prefix)] + [selected]
    levels = []
    for index, node in enumerate(chain):
        chosen = chain[index + 1].code if index + 1 < len(chain) else ""
        children = list(Region.objects.filter(parent=node).only("code", "name"))
        if children:
            levels.append({"parent": node, "children": children, "chosen": chosen})
    return {
        "name": name,
        "root": root,
        "selected": selected,
        "levels": levels,
        "empty": empty,
        "unset": unset,
    }
