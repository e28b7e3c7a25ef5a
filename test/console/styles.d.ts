// Console screens import their stylesheets for Vite; tests that render them on the server only
// need the imports to resolve for the type checker.
declare module '*.css';
