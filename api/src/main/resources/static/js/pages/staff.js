// Staff pages (support, audit, admin): shown in the navigation only to holders of the role.
import {h, replace} from '../dom.js';

function notYet(title) {
  return ({main}) => replace(main, h('h1', {}, title), h('p', {class: 'muted'}, 'Coming next.'));
}

export const support = notYet('Support');
export const audit = notYet('Audit');
export const admin = notYet('Admin');
