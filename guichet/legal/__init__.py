"""The pages every French public service must publish: mentions légales, données personnelles,
déclaration d'accessibilité and plan du site, linked from every page's footer."""
