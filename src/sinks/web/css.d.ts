/** Style sheets imported by the page's entry point are bundled into app.css by the build. */
declare module '*.css';
