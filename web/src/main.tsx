import { render } from 'preact';
import './styles.css';

render(<p>Xin chào</p>, document.getElementById('app')!);
