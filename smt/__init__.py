"""SMT engines: z3 encodings for bounded searches and for lemmas that quantify
over unknown mechanisms or utilities.  They know nothing of any one paper."""
