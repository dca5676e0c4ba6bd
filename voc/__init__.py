"""The `voc` command: the edge where paths, configuration and terminals live."""
