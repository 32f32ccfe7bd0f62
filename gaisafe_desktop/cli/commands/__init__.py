"""One module per command group, each with ``register(cli)``; ``cli/main.py`` discovers them."""
