"""The GraphQL API (``POST /api/v1/graphql/``): what a parent's app reads in one round trip.

A transport beside REST, never a second implementation: every root resolves through the same scoping
selectors as REST (a foreign id is ``not_found``), every mutation calls the same service, input is
validated by the same serializers and errors carry REST's codes and translated messages. Types live
here rather than in the apps because one query crosses them (a child's card reads accounts and
conversations); see docs/GRAPHQL.md.

Resolvers return model instances where a strawberry-django type is declared (the type reads the
instance's fields, which is how strawberry-django works); the type checker cannot see that, hence the
few ``type: ignore`` comments on those returns.
"""
