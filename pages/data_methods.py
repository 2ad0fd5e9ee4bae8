"""Placeholder until the page is built."""

import streamlit as st

st.title("data_methods")
st.info("This page is being built.")
