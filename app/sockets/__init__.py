"""Socket.IO namespaces, registered by the factory."""
