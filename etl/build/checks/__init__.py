"""The check stage: cross-consistency checks declared in schemas/checks.yaml.

model (specs, parameters, context, registry) <- kinds (one function per kind)
<- declarations (loading checks.yaml) <- run (running them, the `checks` table).
"""
