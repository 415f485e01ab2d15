"""Marshmallow schemas: the only validation layer, for REST bodies and Socket.IO payloads
(``socket.py`` in, ``events.py`` out), and the source of the OpenAPI document."""
