"""Knowledge as data files: the vendor knowledge base, categories and country names."""
