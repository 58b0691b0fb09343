"""What a module renders with render_to_string, watched from a test."""


def watch_renders(monkeypatch, module, name) -> list:
    """A list that fills with `name(context)` for each render_to_string call `module` makes
    from now on, but for those it names None; the rendering itself goes on as before."""
    rendered = []
    render = module.render_to_string

    def watched(template, context, *args, **kwargs):
        if (named := name(context)) is not None:
            rendered.append(named)
        return render(template, context, *args, **kwargs)

    monkeypatch.setattr(module, "render_to_string", watched)
    return rendered
