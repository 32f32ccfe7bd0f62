"""GAISafe Desktop: offline auditing of generative-AI services against TC260 / GB/T 45654-2025."""

__version__ = "0.1.0"
