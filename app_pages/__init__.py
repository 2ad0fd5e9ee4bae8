"""The app's pages (run by Streamlit through app.py) and what they share."""
