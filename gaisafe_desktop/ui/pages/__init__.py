"""The screens of an open project, one module each."""
