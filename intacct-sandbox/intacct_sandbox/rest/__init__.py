"""The REST half: OAuth2 tokens, the query and model services and object endpoints.

It serves the same data as the XML gateway, in the same process: REST object names map
onto catalog objects (`objects.py`), queries compile through the XML half's query
engine, and writes run through the XML half's write functions and rules.
"""
