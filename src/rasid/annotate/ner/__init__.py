"""Named-entity recognition for Arabic news: features, the CRF model, gazetteers."""
