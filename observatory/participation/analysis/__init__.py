"""Pure analyses over participation DataFrames (no database, no Streamlit): exposure, concentration, budgets."""
