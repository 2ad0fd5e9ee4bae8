"""Section builders: what one section of a page shows (figure, table, its About, the words around them), built from
frames without Streamlit, so a page file reads as controls, sections, done, and a section is tested on tiny frames."""
