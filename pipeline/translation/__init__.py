"""Stage 3, translation: sentence engines (MarianMT, CTranslate2), their search, the glossary."""
