"""Placeholder until the page is built."""

import streamlit as st

st.title("priority_places")
st.info("This page is being built.")
